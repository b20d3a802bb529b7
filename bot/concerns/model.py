"""A concern, its statuses (one transition table), what readers filter on, and what can go wrong."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


class ConcernNotFound(KeyError):
    """No concern with that reference."""


class StatusChangeRefused(ValueError):
    """A status change the transition table does not allow."""


class ConcernStatus(str, Enum):
    """Where a concern is."""

    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"  #: not actionable (duplicate, out of remit), with a note saying why


#: status -> statuses a ministry may move it to (resolved can be reopened).
STATUS_TRANSITIONS: dict[ConcernStatus, frozenset[ConcernStatus]] = {
    ConcernStatus.RECEIVED: frozenset(
        {ConcernStatus.IN_PROGRESS, ConcernStatus.RESOLVED, ConcernStatus.CLOSED}
    ),
    ConcernStatus.IN_PROGRESS: frozenset({ConcernStatus.RESOLVED, ConcernStatus.CLOSED}),
    ConcernStatus.RESOLVED: frozenset({ConcernStatus.IN_PROGRESS, ConcernStatus.CLOSED}),
    ConcernStatus.CLOSED: frozenset(),
}


@dataclass(frozen=True)
class NewConcern:
    """What a citizen confirmed at the summary."""

    category: str
    description: str  #: as typed; redacted before it is stored for analysts
    region: str  #: region id, or "" when unknown
    place: str  #: free text (a village, a street), redacted too
    language: str
    channel: str
    subscriber: str  #: channel:address, for telling the citizen about changes
    contact_consent: bool  #: the citizen agreed to be contacted: the original text is kept for the ministry
    #: Contact details given outside the chat (an Open311 client's name, e-mail, phone): kept with the
    #: original, so only with consent, and never in the redacted text analysts read.
    contact: str = ""
    #: The ministry it goes to when that is already known (a message left for a desk's call back);
    #: "" routes it by its category and region.
    ministry: str = ""


@dataclass(frozen=True)
class Concern:
    """A stored concern, as the owning ministry sees it."""

    ticket: str
    category: str
    ministry: str
    region: str
    place: str
    language: str
    channel: str
    description: str  #: redacted
    original: str | None  #: only with consent to be contacted, only for the owning ministry
    contact_consent: bool
    status: ConcernStatus
    public_note: str
    created_at: datetime
    updated_at: datetime

    def redacted_view(self) -> dict[str, str]:
        """What every reader of concerns may see (analysts, exports): redacted texts, never the original."""
        return {
            "ticket": self.ticket,
            "category": self.category,
            "ministry": self.ministry,
            "region": self.region,
            "place": self.place,
            "language": self.language,
            "channel": self.channel,
            "description": self.description,
            "status": self.status.value,
            "public_note": self.public_note,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class ConcernFilter:
    """What an analyst or ministry filters on (all optional)."""

    ministry: str | None = None
    category: str | None = None
    region: str | None = None
    status: str | None = None
    language: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None
    #: Any of these (Open311 asks for several at once); empty means no restriction.
    tickets: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
