"""Yes or no: answers the question the conversation is waiting on, or is small talk.

Each feature that asks a yes/no question names it in the ``pending`` slot; the table below sends the
answer to that feature's handler. A button carries the name of its question (bot/assistant/questions.py):
tapped after the conversation moved on, it still does what it said when asking again now would say
the same words, and otherwise the question is closed and asked again. Never a "Good" for nothing done.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from actions.base import BarazaAction
from actions.concerns import file_or_cancel
from actions.conversation import ActionSmallTalk
from actions.handover import answer_callback, hand_over
from actions.privacy import WAITING_FOR_DELETION, ActionDeleteMyData, delete_or_keep
from actions.subscriptions import answer_subscription_consent
from actions.turn import Turn
from bot.assistant.concerns import FORM_SLOTS, WAITING_FOR_SUMMARY, summary
from bot.assistant.handoff import WAITING_FOR_CALLBACK
from bot.assistant.menus import main_menu
from bot.assistant.questions import QUESTION_ENTITY, find_question, kind_of
from bot.assistant.replies import Outcome, Reply
from bot.assistant.subscriptions import WAITING_FOR_CONSENT, ask_to_subscribe
from bot.catalogue.bundle import Catalogues
from bot.handoff.model import Trigger


class Answer(Protocol):
    """What a feature does with a yes or a no to its question."""

    def __call__(self, turn: Turn, catalogues: Catalogues, *, agreed: bool) -> Outcome: ...


class AskAgain(Protocol):
    """The same question asked now (``asked``: the pending question remembered, or {}); None when it
    cannot be asked again."""

    def __call__(self, turn: Turn, catalogues: Catalogues, asked: dict[str, Any]) -> Outcome | None: ...


#: The pending question's kind -> what a yes or a no does.
ANSWERS: dict[str, Answer] = {
    WAITING_FOR_DELETION: delete_or_keep,
    WAITING_FOR_SUMMARY: file_or_cancel,
    WAITING_FOR_CONSENT: answer_subscription_consent,
    WAITING_FOR_CALLBACK: answer_callback,
}


def _consent_again(turn: Turn, catalogues: Catalogues, asked: dict[str, Any]) -> Outcome | None:
    region = asked.get("region")
    topics = tuple(str(t) for t in asked.get("topics") or ())
    return ask_to_subscribe(
        catalogues, turn.language, str(region) if region else None, topics, channel=turn.channel
    )


def _summary_again(turn: Turn, catalogues: Catalogues, asked: dict[str, Any]) -> Outcome | None:
    if any(turn.slots.get(name) is None for name in FORM_SLOTS):
        return None  # the report was sent or dropped since
    return summary(catalogues, turn.language, turn.slots)


def _deletion_again(turn: Turn, catalogues: Catalogues, asked: dict[str, Any]) -> Outcome | None:
    return ActionDeleteMyData().respond(turn, catalogues)


def _callback_again(turn: Turn, catalogues: Catalogues, asked: dict[str, Any]) -> Outcome | None:
    return hand_over(turn, catalogues, Trigger.ASKED)  # still closed: the same question; open: queued


#: The pending question's kind -> the question asked again now.
ASK_AGAIN: dict[str, AskAgain] = {
    WAITING_FOR_DELETION: _deletion_again,
    WAITING_FOR_SUMMARY: _summary_again,
    WAITING_FOR_CONSENT: _consent_again,
    WAITING_FOR_CALLBACK: _callback_again,
}
#: Questions whose answer holds when tapped late if nothing changed; deleting everything is always
#: asked again.
LATE_ANSWER_HOLDS = frozenset({WAITING_FOR_SUMMARY, WAITING_FOR_CONSENT, WAITING_FOR_CALLBACK})


def answer_late(turn: Turn, catalogues: Catalogues, tapped: str) -> Outcome:
    """A button of a question that is no longer the one waiting: do what it said, or ask again."""
    kind = kind_of(tapped)
    asked = find_question(turn.slots.get("questions"), tapped)
    ask_again = ASK_AGAIN.get(kind)
    again = ask_again(turn, catalogues, asked or {}) if ask_again and asked else None
    now = again.remember.get("pending") if again else None
    if again and kind in LATE_ANSWER_HOLDS and isinstance(now, dict) and now.get(QUESTION_ENTITY) == tapped:
        # Asked now, the question would say exactly the same: the answer still holds.
        return ANSWERS[kind](
            replace(turn, slots={**turn.slots, "pending": now}), catalogues, agreed=turn.intent == "affirm"
        )
    locale = catalogues.locales[turn.language]
    if again:
        return Outcome((Reply(locale.text("question_closed")), *again.replies), again.remember)
    return Outcome(
        (Reply(locale.text("question_closed_nothing_done"), main_menu(catalogues, turn.language)),)
    )


class ActionConfirm(BarazaAction):
    """Yes or no to the pending question; without one, small talk ("ok", "no thanks")."""

    def name(self) -> str:
        return "action_confirm"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        pending = turn.slots.get("pending")
        tapped = turn.entities.get(QUESTION_ENTITY)
        if tapped and not (isinstance(pending, dict) and pending.get(QUESTION_ENTITY) == tapped):
            return answer_late(turn, catalogues, tapped)
        answer = ANSWERS.get(pending.get("kind", "")) if isinstance(pending, dict) else None
        if answer is None:
            return ActionSmallTalk().respond(turn, catalogues)
        return answer(turn, catalogues, agreed=turn.intent == "affirm")
