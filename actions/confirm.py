"""Yes or no: answers the question the conversation is waiting on, or is small talk.

Each feature that asks a yes/no question names it in the ``pending`` slot; the table below sends the
answer to that feature's handler.
"""

from __future__ import annotations

from typing import Protocol

from actions.base import BarazaAction
from actions.concerns import file_or_cancel
from actions.conversation import ActionSmallTalk
from actions.privacy import WAITING_FOR_DELETION, delete_or_keep
from actions.subscriptions import answer_subscription_consent
from actions.turn import Turn
from bot.assistant.concerns import WAITING_FOR_SUMMARY
from bot.assistant.replies import Outcome
from bot.assistant.subscriptions import WAITING_FOR_CONSENT
from bot.catalogue.bundle import Catalogues


class Answer(Protocol):
    """What a feature does with a yes or a no to its question."""

    def __call__(self, turn: Turn, catalogues: Catalogues, *, agreed: bool) -> Outcome: ...


#: The pending question's kind -> what a yes or a no does.
ANSWERS: dict[str, Answer] = {
    WAITING_FOR_DELETION: delete_or_keep,
    WAITING_FOR_SUMMARY: file_or_cancel,
    WAITING_FOR_CONSENT: answer_subscription_consent,
}


class ActionConfirm(BarazaAction):
    """Yes or no to the pending question; without one, small talk ("ok", "no thanks")."""

    def name(self) -> str:
        return "action_confirm"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        pending = turn.slots.get("pending")
        answer = ANSWERS.get(pending.get("kind", "")) if isinstance(pending, dict) else None
        if answer is None:
            return ActionSmallTalk().respond(turn, catalogues)
        return answer(turn, catalogues, agreed=turn.intent == "affirm")
