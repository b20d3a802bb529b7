"""Handing the conversation to a person from any turn: asked for, not understood twice, or danger.

Thin: the rules (which desk, the queue, the hours) are :class:`bot.handoff.service.HandoffService`'s,
the words :mod:`bot.assistant.handoff`'s. Also the answers typed to the handoff's questions (the
message left for a call back, the rating and its comment), which can be any words at all.
"""

from __future__ import annotations

import logging
import threading

from actions.turn import Turn
from bot.assistant import handoff as texts
from bot.assistant.replies import Outcome
from bot.catalogue.bundle import Catalogues
from bot.concerns.model import NewConcern
from bot.handoff.distress import DistressKind
from bot.handoff.model import Handoff, Status, Trigger
from bot.handoff.notify import HandoffNotifier
from bot.services import shared

logger = logging.getLogger(__name__)

#: What the citizen may say while a handoff question waits and still be heard as themselves.
ALWAYS_HEARD = frozenset({"unsubscribe_alerts", "delete_my_data"})


def hand_over(
    turn: Turn, catalogues: Catalogues, trigger: Trigger, distress: DistressKind | None = None
) -> Outcome:
    """Queue the conversation for a person (or say when someone will be there) and tell the citizen."""
    services = shared()
    topic = turn.slots.get("concern_category")
    ticket = services.handoffs.ask(
        turn.sender_id,
        turn.channel or "rest",
        turn.language,
        trigger,
        topic=str(topic) if topic else None,
        distress=distress,
    )
    handoff = ticket.handoff
    if ticket.open and handoff.status is Status.WAITING and handoff.events[-1].kind == "requested":
        services.handoff_notifier.desk_event(handoff, "queued")
    if ticket.moved:  # someone in danger went before them: the others waiting are told at once
        _wake_in_background(services.handoff_notifier, services.handoff_notifier.file_places(ticket.moved))
    ministry = services.desks().get(handoff.desk).ministry
    return texts.asked(
        catalogues,
        turn.language,
        turn.channel,
        ticket,
        ministry=ministry,
        not_understood=trigger is Trigger.NOT_UNDERSTOOD,
    )


def _wake_in_background(notifier: HandoffNotifier, handoffs: list[Handoff]) -> None:
    """Wake the others' conversations off this turn: each wake goes through Rasa, which runs the relay
    on this action server, and the citizen in danger must not wait for them (their notices are filed
    already: a wake that fails leaves them for the citizen's next turn)."""

    def wake_all() -> None:
        for handoff in handoffs:
            notifier.wake(handoff)

    threading.Thread(target=wake_all, name="handoff-places", daemon=True).start()


def in_danger(turn: Turn) -> DistressKind | None:
    """The danger the citizen's own words signal (never a button's or a worker's payload)."""
    if not turn.text:
        return None
    return shared().distress_words.detect(turn.text, turn.language)


def answer_typed(turn: Turn, catalogues: Catalogues) -> Outcome | None:
    """The answer to a handoff question that waits for typed words, or None when none waits (or the
    citizen said something that must always be heard: STOP, delete my data)."""
    pending = turn.slots.get("pending")
    if not isinstance(pending, dict) or not turn.text or turn.intent in ALWAYS_HEARD:
        return None
    kind = pending.get("kind")
    if kind == texts.WAITING_FOR_MESSAGE:
        return _file_message(turn, catalogues, str(pending.get("ministry") or ""))
    handoff_id = str(pending.get("handoff_id") or "")
    if kind == texts.WAITING_FOR_RATING:
        score = texts.score_of(turn.text)
        if score is None:
            return None  # another question: answered as any other
        if not _rate(turn, handoff_id, score):
            return None
        return texts.rated(catalogues, turn.language, handoff_id, score)
    if kind == texts.WAITING_FOR_COMMENT:
        _rate(turn, handoff_id, int(pending.get("score") or 0), turn.text)
        return texts.commented(catalogues, turn.language)
    return None


def _rate(turn: Turn, handoff_id: str, score: int, comment: str = "") -> bool:
    try:
        shared().handoffs.rate(handoff_id, turn.sender_id, score, comment)
    except (KeyError, ValueError, RuntimeError):
        logger.info("a rating was not stored: the handoff is gone or not ended")
        return False
    return True


def _file_message(turn: Turn, catalogues: Catalogues, ministry: str) -> Outcome:
    concern = shared().concerns.file(
        NewConcern(
            category="other",
            description=turn.text,
            region="",
            place="",
            language=turn.language,
            channel=turn.channel or "rest",
            subscriber=turn.subscriber,
            contact_consent=True,  # "yes, leave a message" to be contacted, and the message itself
            ministry=ministry,
        )
    )
    return texts.message_filed(catalogues, turn.language, concern.ministry, concern.ticket)


def answer_callback(turn: Turn, catalogues: Catalogues, *, agreed: bool) -> Outcome:
    """Yes or no to leaving a message for a call back."""
    pending = turn.slots.get("pending")
    ministry = str(pending.get("ministry") or "") if isinstance(pending, dict) else ""
    if not agreed or not ministry:
        return texts.no_message(catalogues, turn.language)
    return texts.ask_for_message(catalogues, turn.language, turn.channel, ministry)
