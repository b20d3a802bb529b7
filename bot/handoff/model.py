"""A handoff: one conversation passed from the assistant to a person, and everything that happened."""

from __future__ import annotations

import enum
import json
import secrets
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any


class Status(str, enum.Enum):
    """Where a handoff is."""

    WAITING = "waiting"  #: in a desk's queue
    CLAIMED = "claimed"  #: a person holds the conversation; the assistant is silent
    ENDED = "ended"  #: the person ended it; the assistant is back
    ABANDONED = "abandoned"  #: the citizen left (or stopped) before anyone came


class Trigger(str, enum.Enum):
    """Why the assistant handed over."""

    ASKED = "asked"  #: the citizen asked for a person
    NOT_UNDERSTOOD = "not_understood"  #: the assistant failed to understand twice in a row
    DISTRESS = "distress"  #: the message signalled danger: front of the queue


class EndReason(str, enum.Enum):
    """Why a person ended a handoff (the reason codes of the inbox)."""

    RESOLVED = "resolved"
    REFERRED = "referred"  #: sent to another service outside Baraza
    NO_RESPONSE = "no_response"  #: the citizen stopped answering
    ABUSIVE = "abusive"
    NOT_FOR_US = "not_for_us"


ACTIVE = frozenset({Status.WAITING, Status.CLAIMED})


@dataclass(frozen=True)
class Event:
    """One thing that happened to a handoff, by whom (a person id, or "citizen"/"assistant")."""

    kind: str  #: requested, claimed, transferred, ended, rated, abandoned
    at: datetime
    actor: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Handoff:
    """One handoff of a conversation to a desk."""

    handoff_id: str
    conversation_id: str
    channel: str
    language: str
    desk: str
    trigger: Trigger
    requested_at: datetime
    status: Status = Status.WAITING
    distress: str | None = None
    agent: str | None = None  #: the person holding it
    claimed_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: EndReason | None = None
    rating: int | None = None
    comment: str = ""
    events: tuple[Event, ...] = ()

    @property
    def urgent(self) -> bool:
        return self.trigger is Trigger.DISTRESS

    def with_event(self, kind: str, at: datetime, actor: str, **changes: Any) -> Handoff:
        """This handoff changed by ``changes``, with the event recorded."""
        detail = {
            k: (v.value if isinstance(v, enum.Enum) else v) for k, v in changes.pop("detail", {}).items()
        }
        return replace(self, **changes, events=(*self.events, Event(kind, at, actor, detail)))

    def to_json(self) -> str:
        data = asdict(self)
        for key in ("requested_at", "claimed_at", "ended_at"):
            data[key] = data[key].isoformat() if data[key] else None
        data["events"] = [{**e, "at": e["at"].isoformat()} for e in data["events"]]
        return json.dumps(data, default=lambda v: v.value if isinstance(v, enum.Enum) else str(v))

    @classmethod
    def from_json(cls, raw: str | bytes) -> Handoff:
        data = json.loads(raw)
        for key in ("requested_at", "claimed_at", "ended_at"):
            data[key] = datetime.fromisoformat(data[key]) if data[key] else None
        data["events"] = tuple(
            Event(e["kind"], datetime.fromisoformat(e["at"]), e["actor"], e.get("detail") or {})
            for e in data["events"]
        )
        data["status"] = Status(data["status"])
        data["trigger"] = Trigger(data["trigger"])
        data["end_reason"] = EndReason(data["end_reason"]) if data["end_reason"] else None
        return cls(**data)


def new_handoff_id() -> str:
    """An id that is not guessable (it appears in the agents' inbox URLs)."""
    return "h_" + secrets.token_urlsafe(12)
