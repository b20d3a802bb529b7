"""What one citizen turn says, read from a Rasa tracker."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from rasa_sdk import Tracker

from bot.catalogue.bundle import Catalogues
from bot.language.conversation import Identifier, decide_language


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

    def with_choice(self, intent: str, entities: dict[str, str]) -> Turn:
        """The same turn, as if the citizen had chosen ``intent`` with ``entities``."""
        return replace(self, text="", intent=intent, entities=entities)


def read_turn(tracker: Tracker, catalogues: Catalogues, identifier: Identifier, max_chars: int) -> Turn:
    """Read the latest message and decide the language to answer in."""
    latest = tracker.latest_message or {}
    raw_text = str(latest.get("text") or "")
    is_payload = raw_text.startswith("/")
    text = "" if is_payload else raw_text.strip()
    truncated = len(text) > max_chars
    text = text[:max_chars]
    intent = str((latest.get("intent") or {}).get("name") or "")
    entities: dict[str, str] = {}
    for entity in latest.get("entities") or []:
        entities.setdefault(str(entity.get("entity")), str(entity.get("value")))
    languages = catalogues.languages
    requested = None
    if intent == "switch_language":
        requested = languages.normalise(entities.get("language"))
    metadata = latest.get("metadata") or {}
    hint = languages.normalise(str(metadata.get("language") or "")) if isinstance(metadata, dict) else None
    current = tracker.get_slot("language")
    decision = decide_language(
        text,
        current if languages.is_supported(current) else None,
        identifier=identifier,
        default=languages.default,
        hint=hint,
        requested=requested,
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
    )
