"""What the fan-out carries, typed: broadcasts, one notice per subscriber, and what it asks of the sender.

The delivery worker does not know what an alert or a concern is. It moves a :class:`Notice` (a kind,
the reference of what it is about, the subscriber) from the queue to a channel, and asks the feature
that sent it, through :class:`BroadcastHooks`, the few things only that feature knows: who wants a
broadcast, whether it is still live, what to do once it is complete or replaced.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Protocol


class NoticeKind(str, Enum):
    """Kinds of notice the fan-out carries."""

    ALERT = "alert"  #: an alert that went live, to everyone who follows its regions and topics
    CANCEL = "cancel"  #: an alert withdrawn, to everyone it reached
    CONCERN = "concern"  #: a concern's status changed, to the citizen who filed it


class JobKind(str, Enum):
    """Work the fan-out jobs stream holds (written in the same transaction as a status change)."""

    ALERT = "alert"  #: resolve a live alert's recipients
    CANCEL = "cancel"  #: resolve a cancellation's recipients (everyone the alert reached)
    SUPERSEDE = "supersede"  #: an Update went live: the alert it replaces is superseded


@dataclass(frozen=True)
class Broadcast:
    """One thing to deliver, to one or many subscribers, each at most once.

    ``change`` tells apart successive notices about the same reference (each status change of a
    concern is its own broadcast); alerts have none.
    """

    kind: NoticeKind
    reference: str  #: the alert id, or the concern's ticket
    change: str = ""

    @classmethod
    def alert(cls, alert_id: str) -> Broadcast:
        """The broadcast of an alert."""
        return cls(NoticeKind.ALERT, alert_id)

    @classmethod
    def cancellation(cls, alert_id: str) -> Broadcast:
        """The broadcast of an alert's cancellation."""
        return cls(NoticeKind.CANCEL, alert_id)

    @property
    def key(self) -> str:
        """Names the broadcast in Redis keys (the reference, and the change when there is one)."""
        return f"{self.reference}#{self.change}" if self.change else self.reference

    def fields(self) -> dict[str, str]:
        """The broadcast as stream entry fields."""
        return {"a": self.reference, "k": self.kind.value, **({"c": self.change} if self.change else {})}

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Broadcast:
        """Read back :meth:`fields`."""
        return cls(
            NoticeKind(fields.get("k") or NoticeKind.ALERT.value), fields.get("a", ""), fields.get("c", "")
        )


@dataclass(frozen=True)
class Notice:
    """One broadcast for one subscriber: what a channel delivers."""

    broadcast: Broadcast
    channel: str
    address: str  #: the subscriber's id on the channel (the conversation id)
    attempt: int = 1
    #: The language the subscriber chose when subscribing, for a conversation that has expired since.
    language: str = ""

    @property
    def kind(self) -> NoticeKind:
        """The broadcast's kind."""
        return self.broadcast.kind

    @property
    def reference(self) -> str:
        """What the notice is about (an alert id, a ticket)."""
        return self.broadcast.reference

    @property
    def delivery_id(self) -> str:
        """Identifies the effect: the same id twice must show the citizen one message."""
        return f"{self.broadcast.key}:{self.kind.value}:{self.channel}:{self.address}"


@dataclass(frozen=True)
class Trigger:
    """How a kind of notice enters the conversation: the intent triggered and the entity naming it."""

    intent: str
    reference_entity: str


#: The contract with the conversation (``data/rules.yml``, the pushed actions in ``actions/``).
TRIGGERS: Mapping[NoticeKind, Trigger] = {
    NoticeKind.ALERT: Trigger("EXTERNAL_alert", "alert_id"),
    NoticeKind.CANCEL: Trigger("EXTERNAL_alert", "alert_id"),
    NoticeKind.CONCERN: Trigger("EXTERNAL_concern_update", "ticket"),
}


class BroadcastHooks(Protocol):
    """What the worker asks of the feature whose broadcasts it resolves (today: alerts)."""

    def audience(self, reference: str) -> Iterator[list[str]] | None:
        """Batches of the subscribers who want it, or None when it is no longer live."""

    def is_live(self, reference: str) -> bool:
        """Whether a queued notice about it is still to be delivered."""

    def completed(self, reference: str) -> None:
        """Every recipient was found and every delivery done."""

    def superseded(self, reference: str, by: str) -> None:
        """``by`` went live and replaces ``reference``."""
