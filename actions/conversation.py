"""Greeting, help, thanks, goodbye, a person to talk to, and the fallback."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BarazaAction
from actions.crisis import alerts_region_answered
from actions.forms import leaving_form
from actions.handover import hand_over, in_danger
from actions.services import service_choice_answered
from actions.subscriptions import subscription_region_answered
from actions.turn import Turn
from bot.assistant.conversation import SIMPLE_REPLIES, fallback, simple_reply
from bot.assistant.replies import Outcome
from bot.catalogue.bundle import Catalogues
from bot.handoff.distress import DistressKind
from bot.handoff.model import Trigger


def choice_step_answered(turn: Turn, catalogues: Catalogues) -> Outcome | None:
    """A sentence typed at a pending choice ("which service?", "which region?") that the model did not
    understand: what it names answers the question (see each step); None when no choice is pending.
    (A crisis question naming no entry does the same: ``ActionAnswerCrisis``.)"""
    return (
        service_choice_answered(turn, catalogues)
        or subscription_region_answered(turn, catalogues)
        or alerts_region_answered(turn, catalogues)
    )


class ActionSmallTalk(BarazaAction):
    """Fixed replies to greet, help, goodbye, thanks, yes, no, out of scope; a person when asked."""

    def name(self) -> str:
        return "action_small_talk"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        if turn.intent == "human_handoff":
            return hand_over(turn, catalogues, Trigger.ASKED)
        if turn.intent not in SIMPLE_REPLIES:
            return fallback(catalogues, turn.language)
        if turn.intent == "out_of_scope":  # "the one for cars" answering "which service?"
            answered = choice_step_answered(turn, catalogues)
            if answered is not None:
                return answered
        return simple_reply(catalogues, turn.language, turn.intent)


class ActionFallback(BarazaAction):
    """Low confidence or nothing to do: ask to rephrase and offer choices."""

    def name(self) -> str:
        return "action_fallback"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        # A name the model does not know ("Paris") answering "which region?" is not a failure.
        return choice_step_answered(turn, catalogues) or fallback(catalogues, turn.language)


class ActionHandoffDistress(BarazaAction):
    """Danger: a person first in line, and the emergency number shown first."""

    def name(self) -> str:
        return "action_handoff_distress"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        return hand_over(turn, catalogues, Trigger.DISTRESS, in_danger(turn) or DistressKind.VIOLENCE)


class ActionHandoffInReport(BarazaAction):
    """A person asked for in the middle of a report: the report's desk, and the report is left (the
    words are the citizen's request, not the report's answer)."""

    def name(self) -> str:
        return "action_handoff_in_report"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        return hand_over(turn, catalogues, Trigger.ASKED)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """As any action, leaving the report first (data/rules.yml)."""
        return leaving_form(tracker, await super().run(dispatcher, tracker, domain))
