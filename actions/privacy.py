""" "Delete my data": asks first; a yes removes subscriptions, contacts on reports, the conversation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BarazaAction
from actions.forms import leaving_form
from actions.turn import Turn
from bot.assistant.concerns import CONCERN_SLOTS
from bot.assistant.questions import QUESTION_ENTITY, question_id, yes_no
from bot.assistant.replies import Outcome, Reply
from bot.catalogue.bundle import Catalogues
from bot.services import shared
from bot.subscriptions.forget import schedule_forgetting

#: The pending question "delete everything?".
WAITING_FOR_DELETION = "delete_data"


class ActionDeleteMyData(BarazaAction):
    """Ask before deleting: what goes, yes or no."""

    def name(self) -> str:
        return "action_delete_my_data"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        locale = catalogues.locales[turn.language]
        question = locale.text("delete_data_confirm")
        asked = question_id(WAITING_FOR_DELETION, question)
        options = yes_no(locale.text("delete_data_yes"), locale.text("answer_no"), asked)
        cleared: dict[str, Any] = dict.fromkeys(CONCERN_SLOTS)
        return Outcome(
            (Reply(question, options),),
            {**cleared, "pending": {"kind": WAITING_FOR_DELETION, QUESTION_ENTITY: asked}},
        )

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """As any action, leaving a report in progress first."""
        return leaving_form(tracker, await super().run(dispatcher, tracker, domain))


def delete_or_keep(turn: Turn, catalogues: Catalogues, *, agreed: bool) -> Outcome:
    """The answer to "delete everything?"."""
    locale = catalogues.locales[turn.language]
    if not agreed:
        return Outcome((Reply(locale.text("delete_data_kept")),))
    services = shared()
    services.concerns.forget(turn.subscriber)
    schedule_forgetting(services.redis, services.subscriptions, turn.subscriber, turn.sender_id)
    return Outcome((Reply(locale.text("delete_data_done")),))
