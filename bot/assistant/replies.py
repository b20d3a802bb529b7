"""Replies and the choices offered with them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_PAYLOAD = re.compile(r"^/(?P<intent>[A-Za-z_][\w]*)(?P<entities>\{.*\})?$", re.DOTALL)


@dataclass(frozen=True)
class Option:
    """A choice offered to the citizen: a label in their language and a language-neutral payload."""

    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """One message of the assistant."""

    text: str
    options: tuple[Option, ...] = ()
    #: Where to go next after an answer (the other aspects, the way home): on a channel without buttons
    #: it joins the answer's message (one SMS), a channel with its own Back and Home (USSD) leaves it out.
    follow_up: bool = False
    #: The citizen is asked to type the answer (a channel that closes sessions keeps this one open).
    awaits_text: bool = False
    #: Words of a person of a desk, passed on verbatim (the inbox shows them as the person's).
    by_person: bool = False


#: Why a message went unanswered: not understood, understood as out of scope, or a question the
#: crisis knowledge base has no entry for.
UNANSWERED = ("not_understood", "out_of_scope", "no_answer")


@dataclass(frozen=True)
class Outcome:
    """What a turn produces: the messages, and what the conversation should remember."""

    replies: tuple[Reply, ...]
    remember: dict[str, Any] = field(default_factory=dict)  #: slot name -> value
    #: Why the citizen's message went unanswered (:data:`UNANSWERED`), or "" when it was answered.
    unanswered: str = ""


def intent_payload(intent: str, **entities: str) -> str:
    """A Rasa-style payload (``/intent{"entity": "value"}``) that bypasses NLU when chosen."""
    return f"/{intent}{json.dumps(entities, separators=(',', ':'))}" if entities else f"/{intent}"


def parse_payload(payload: str) -> tuple[str, dict[str, str]] | None:
    """Split a payload into its intent and entities; None if it is not a well-formed payload."""
    match = _PAYLOAD.match(payload.strip())
    if not match:
        return None
    entities: dict[str, str] = {}
    if match.group("entities"):
        try:
            raw = json.loads(match.group("entities"))
        except json.JSONDecodeError:
            return None
        if not isinstance(raw, dict):
            return None
        entities = {str(k): str(v) for k, v in raw.items()}
    return match.group("intent"), entities
