"""Filing and following concerns: redact, route, store; status changes told to the citizen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.catalogue.bundle import Catalogues
from bot.concerns.model import Concern, ConcernStatus, NewConcern
from bot.concerns.redaction import names_from_catalogues, redact
from bot.concerns.store import ConcernStore

#: Told when a concern's status changes: (ticket, subscriber).
Notifier = Callable[[str, str], None]


class ConcernService:
    """What the chat and the ministries do with concerns."""

    def __init__(
        self,
        store: ConcernStore,
        catalogues: Callable[[], Catalogues],
        clock: Callable[[], datetime],
        notify: Notifier | None = None,
    ) -> None:
        self.store = store
        self._catalogues = catalogues
        self._clock = clock
        self._notify = notify
        self._known: tuple[int, frozenset[str]] | None = None

    def _known_names(self) -> frozenset[str]:
        current = self._catalogues()
        if self._known is None or self._known[0] != id(current):
            self._known = (id(current), names_from_catalogues(current))
        return self._known[1]

    def redacted(self, text: str) -> str:
        """``text`` with personal data replaced by labels (names of places and services kept)."""
        return redact(text.strip(), self._known_names())[0]

    def file(self, new: NewConcern) -> Concern:
        """Store a concern the citizen confirmed: personal data redacted, routed to its ministry."""
        description = self.redacted(new.description)
        place = self.redacted(new.place)
        ministry = self._catalogues().concern_routing.ministry_for(new.category, new.region)
        return self.store.create(
            new, ministry=ministry, description=description, place=place[:200], now=self._clock()
        )

    def for_citizen(self, ticket: str, asker: str) -> Concern:
        """A concern as whoever asks about its ticket may see it: the status, and the ministry's note as
        written for the citizen who filed it (``asker`` is their subscriber id), redacted for anyone else
        (tickets are public: anyone can list them through Open311)."""
        concern = self.store.get(ticket)
        if concern.public_note and (not asker or self.store.subscriber_of(concern.ticket) != asker):
            concern = replace(concern, public_note=self.redacted(concern.public_note))
        return concern

    def change_status(self, ticket: str, to: ConcernStatus, *, actor: str, note: str) -> Concern:
        """Move a concern on and tell the citizen (if they can still be reached)."""
        concern = self.store.change_status(ticket, to, actor=actor, note=note, now=self._clock())
        subscriber = self.store.subscriber_of(ticket)
        if subscriber and self._notify is not None:
            self._notify(concern.ticket, subscriber)
        return concern

    def purge_expired_texts(self, retention_days: int) -> int:
        """Remove texts older than the retention period."""
        now = self._clock()
        return self.store.purge_texts(now - timedelta(days=retention_days), now)

    def forget(self, subscriber: str) -> int:
        """A citizen's "delete my data" for their concerns."""
        return self.store.forget(subscriber)
