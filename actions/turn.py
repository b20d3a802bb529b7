"""What one citizen turn says, read from a Rasa tracker."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from rasa_sdk import Tracker

from bot.catalogue.bundle import Catalogues
from bot.language.conversation import Identifier, decide_language
from bot.limits.policy import MESSAGE_CUT
from bot.subscriptions.store import subscriber_id


@dataclass(frozen=True)
class Turn:
    """The latest user message and the conversation state an action needs."""

    text: str  #: what the citizen typed ("" when they chose a button)
    intent: str
    entities: dict[str, str]
    language: str
    channel: str
    slots: dict[str, Any] = field(default_factory=dict)
    truncated: bool = False
    sender_id: str = ""  #: the citizen's address on the channel (Rasa's conversation id)
    active_loop: str = ""  #: the form being filled in (a report), or ""
    confidence: float = 1.0  #: the classifier's confidence in ``intent`` (1.0 for buttons and rules)

    @property
    def subscriber(self) -> str:
        """The citizen as subscriptions, concerns and deliveries know them (``channel:address``)."""
        return subscriber_id(self.channel or "rest", self.sender_id)

    def with_choice(self, intent: str, entities: dict[str, str]) -> Turn:
        """The same turn, as if the citizen had chosen ``intent`` with ``entities``."""
        return replace(self, text="", intent=intent, entities=entities)


def read_turn(tracker: Tracker, catalogues: Catalogues, identifier: Identifier, max_chars: int) -> Turn:
    """Read the latest message and decide the language to answer in."""
    latest = tracker.latest_message or {}
    raw_text = str(latest.get("text") or "")
    is_payload = raw_text.startswith("/")
    text = "" if is_payload else raw_text.strip()
    metadata = latest.get("metadata") or {}
    # The Rasa server cuts long messages before NLU (rasa_addons/limits.py) and marks them.
    cut = isinstance(metadata, dict) and bool(metadata.get(MESSAGE_CUT))
    truncated = len(text) > max_chars or cut
    text = text[:max_chars]
    parsed_intent = latest.get("intent") or {}
    intent = str(parsed_intent.get("name") or "")
    confidence = float(parsed_intent.get("confidence", 1.0))
    entities: dict[str, str] = {}
    for entity in latest.get("entities") or []:
        entities.setdefault(str(entity.get("entity")), str(entity.get("value")))
    languages = catalogues.languages
    requested = None
    if intent == "switch_language":
        requested = languages.normalise(entities.get("language"))
    hint = languages.normalise(str(metadata.get("language") or "")) if isinstance(metadata, dict) else None
    pushed = intent.startswith("EXTERNAL_") and raw_text == f"EXTERNAL: {intent}"
    if pushed:  # a delivery worker's push: its text says nothing of the language; the subscriber's does
        hint = hint or languages.normalise(entities.get("language"))
    current = tracker.get_slot("language")
    decision = decide_language(
        "" if pushed else text,
        current if languages.is_supported(current) else None,
        identifier=identifier,
        default=languages.default,
        hint=hint,
        requested=requested,
        short_turn=None if pushed else catalogues.locales.short_turn_language(text),
    )
    return Turn(
        text=text,
        intent=intent,
        entities=entities,
        language=decision.language,
        channel=str(tracker.get_latest_input_channel() or ""),
        slots=dict(tracker.slots),
        truncated=truncated,
        sender_id=str(tracker.sender_id),
        active_loop=str(tracker.active_loop_name or ""),
        confidence=confidence,
    )


#: How many delivery ids a conversation remembers to recognise a repeated delivery.
REMEMBERED_DELIVERIES = 50


@dataclass(frozen=True)
class Push:
    """A message a delivery worker pushed into the conversation (Rasa's ``trigger_intent``)."""

    turn: Turn
    delivery_id: str
    seen: tuple[str, ...]  #: delivery ids already shown in this conversation

    @property
    def repeated(self) -> bool:
        """Already shown: a worker delivered it again after a crash."""
        return not self.delivery_id or self.delivery_id in self.seen

    def remembered(self) -> list[str]:
        """``delivered_alerts`` with this delivery added (the most recent ones only)."""
        return [*self.seen, self.delivery_id][-REMEMBERED_DELIVERIES:]


def read_push(tracker: Tracker, turn: Turn, intent: str) -> Push | None:
    """The push in the latest message; None when it was typed (a forged "/EXTERNAL_..." payload).

    Rasa gives a message created by ``trigger_intent`` the text ``EXTERNAL: <intent>``; a citizen's
    payload has the payload as its text.
    """
    if str((tracker.latest_message or {}).get("text") or "") != f"EXTERNAL: {intent}":
        return None
    delivery_id = turn.entities.get("delivery_id", "")
    return Push(turn=turn, delivery_id=delivery_id, seen=tuple(turn.slots.get("delivered_alerts") or ()))
