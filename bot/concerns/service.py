"""Filing and following concerns: redact, route, store; who may read and change them; the citizen told.

The permission rules live here, next to the operations they guard, as the alerts feature keeps its
own: a ministry's key reads and answers only the concerns routed to it, and reads the original text
(kept only with consent) of those alone; an analyst's key reads every ministry's, redacted; the public
(Open311 without a key) reads no text the citizen typed.

A status change and the citizen's notice are one transaction (the notice waits in an outbox table);
the notice is then relayed to the delivery queue at once, or by housekeeping if the queue was down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from bot.auth.roles import Actor, Forbidden, Permission
from bot.catalogue.bundle import Catalogues
from bot.concerns.analysis import MIN_REPORTS, breakdown, counts_over_time, rising_terms
from bot.concerns.model import Concern, ConcernFilter, ConcernStatus, NewConcern
from bot.concerns.redaction import names_from_catalogues, redact
from bot.concerns.store import ConcernStore

log = logging.getLogger(__name__)

#: Puts a status change's notice in the delivery queue: (ticket, subscriber, change). Idempotent per
#: change, so relaying the same outbox entry twice tells the citizen once.
NoticeRelay = Callable[[str, str, int], None]
#: Most rows one export holds (filter by dates for more).
EXPORT_LIMIT = 50_000


class ConcernForbidden(Forbidden):
    """The key may not see or change this concern (HTTP 403)."""


class ConcernService:
    """What the chat, the ministries, analysts and Open311 clients do with concerns."""

    def __init__(
        self,
        store: ConcernStore,
        catalogues: Callable[[], Catalogues],
        clock: Callable[[], datetime],
        relay: NoticeRelay | None = None,
    ) -> None:
        self.store = store
        self._catalogues = catalogues
        self._clock = clock
        self._relay = relay
        self._known: tuple[int, frozenset[str]] | None = None

    # Citizens ------------------------------------------------------------------------------------

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
        ministry = new.ministry or self._catalogues().concern_routing.ministry_for(new.category, new.region)
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

    def forget(self, subscriber: str) -> int:
        """A citizen's "delete my data" for their concerns."""
        return self.store.forget(subscriber)

    def purge_expired_texts(self, retention_days: int) -> int:
        """Remove texts older than the retention period."""
        now = self._clock()
        return self.store.purge_texts(now - timedelta(days=retention_days), now)

    # Ministries and analysts ---------------------------------------------------------------------

    @staticmethod
    def reads_original(actor: Actor, concern: Concern) -> bool:
        """Only the ministry the concern was routed to reads what the citizen typed (with consent)."""
        return actor.ministry == concern.ministry and not actor.may(Permission.READ_ALL_MINISTRIES)

    @staticmethod
    def reads_note(actor: Actor, concern: Concern) -> bool:
        """The ministry's note is written to the citizen ("we will call you on ..."): the ministry that
        wrote it reads it as written; everyone else (analysts included) reads it redacted."""
        return ConcernService.reads_original(actor, concern)

    def as_read_by(self, actor: Actor | None, found: list[Concern]) -> list[Concern]:
        """``found`` with each ministry note redacted unless ``actor`` may read it as written."""
        return [
            c
            if not c.public_note or (actor is not None and self.reads_note(actor, c))
            else replace(c, public_note=self.redacted(c.public_note))
            for c in found
        ]

    @staticmethod
    def may_read_texts(actor: Actor | None, concern: Concern) -> bool:
        """Whether ``actor`` (None: the public) may read a concern's redacted texts."""
        return actor is not None and actor.may(Permission.READ) and actor.may_see(concern.ministry)

    @staticmethod
    def scoped(actor: Actor, where: ConcernFilter) -> ConcernFilter:
        """``where`` held to what ``actor`` may read: a ministry's key to its own concerns."""
        if not actor.may(Permission.READ):
            raise ConcernForbidden(f"the {actor.role.value} role may not read concerns")
        if actor.may(Permission.READ_ALL_MINISTRIES):
            return where
        if where.ministry and where.ministry != actor.ministry:
            raise ConcernForbidden("a ministry key reads only its own ministry's concerns")
        return replace(where, ministry=actor.ministry)

    def find(
        self, actor: Actor, where: ConcernFilter, *, limit: int, offset: int = 0
    ) -> tuple[list[Concern], int]:
        """A page of the concerns ``actor`` may read, newest first, and how many match in all."""
        found, total = self.store.find(self.scoped(actor, where), limit=limit, offset=offset)
        return self.as_read_by(actor, found), total

    def export(self, actor: Actor, where: ConcernFilter) -> list[Concern]:
        """Every concern ``actor`` may read that matches (at most :data:`EXPORT_LIMIT`)."""
        return self.as_read_by(actor, self.store.find(self.scoped(actor, where), limit=EXPORT_LIMIT)[0])

    def daily_counts(self, actor: Actor, where: ConcernFilter) -> list[tuple[date, str, str, str, int]]:
        """(day, category, region, status, count) of the concerns ``actor`` may read."""
        return self.store.daily_counts(self.scoped(actor, where))

    def weekly_texts(self, actor: Actor, where: ConcernFilter) -> tuple[list[str], list[str]]:
        """The redacted texts of the last 7 days and of the 7 before, for the terms rising."""
        scoped = self.scoped(actor, where)
        now = self._clock()
        this_week = replace(scoped, since=now - timedelta(days=7), until=now)
        last_week = replace(scoped, since=now - timedelta(days=14), until=now - timedelta(days=7))
        return self.store.descriptions(this_week), self.store.descriptions(last_week)

    def stats(self, actor: Actor, where: ConcernFilter, period: str) -> dict[str, Any]:
        """Counts per ``period`` (day or week) by category, region and status, and the leading
        categories and regions with their last 7 days against the 7 before."""
        rows = self.daily_counts(actor, where)
        today = self._clock().date()
        return {
            "period": period,
            "series": counts_over_time(rows, period),
            "breakdown": breakdown(rows, today),
        }

    def rising(self, actor: Actor, where: ConcernFilter) -> dict[str, Any]:
        """The words rising this week (stop-words of every language left out) and the fewest reports
        a word must be in to be listed."""
        this_week, last_week = self.weekly_texts(actor, where)
        stopwords = self._catalogues().stopwords.all
        return {"terms": rising_terms(this_week, last_week, stopwords=stopwords), "min_count": MIN_REPORTS}

    def read(self, actor: Actor, ticket: str) -> tuple[Concern, list[dict[str, Any]]]:
        """One concern ``actor`` may read, and its audit trail."""
        concern = self.as_read_by(actor, [self._visible(actor, ticket)])[0]
        history = self.store.history(ticket)
        if not self.reads_note(actor, concern):
            history = [{**h, "note": self.redacted(h["note"])} if h.get("note") else h for h in history]
        return concern, history

    def authorise_change(self, actor: Actor, ticket: str) -> Concern:
        """Check, before reading a request body, that ``actor`` may change the concern: only the
        writing keys of the ministry it was routed to may."""
        if not actor.may(Permission.WRITE):
            raise ConcernForbidden(f"the {actor.role.value} role may not change concerns")
        concern = self._visible(actor, ticket)
        if concern.ministry != actor.ministry:
            raise ConcernForbidden("only the ministry the concern was routed to may change it")
        return concern

    def change_status(self, actor: Actor, ticket: str, to: ConcernStatus, *, note: str) -> Concern:
        """Move a concern on and tell the citizen (the change and its notice in one transaction)."""
        self.authorise_change(actor, ticket)
        changed = self.store.change_status(ticket, to, actor=actor.key_id, note=note, now=self._clock())
        try:
            self.relay_notices()
        except Exception:  # the queue is down: the notice waits in the outbox for housekeeping
            log.warning("the notice of %s waits in the outbox: the delivery queue is unavailable", ticket)
        return changed

    def _visible(self, actor: Actor, ticket: str) -> Concern:
        if not actor.may(Permission.READ):
            raise ConcernForbidden(f"the {actor.role.value} role may not read concerns")
        concern = self.store.get(ticket)
        if not actor.may_see(concern.ministry):
            raise ConcernForbidden("this concern belongs to another ministry")
        return concern

    # The public (Open311) ------------------------------------------------------------------------

    def public_find(self, where: ConcernFilter, *, limit: int) -> list[Concern]:
        """Concerns as listed publicly (the caller shows only their public fields)."""
        return self.store.find(where, limit=limit)[0]

    def public_get(self, ticket: str, since: datetime | None = None) -> Concern | None:
        """One concern by ticket (filed at ``since`` or later, when given), or None."""
        found = self.store.find(ConcernFilter(tickets=(ticket.upper(),), since=since), limit=1)[0]
        return found[0] if found else None

    # Notices -------------------------------------------------------------------------------------

    def relay_notices(self, limit: int = 100) -> int:
        """Move the outbox's notices to the delivery queue; how many went. Safe to run anywhere, any
        number of times at once: a notice relayed twice is queued once."""
        if self._relay is None:
            return 0
        pending = self.store.pending_notices(limit)
        relayed: list[int] = []
        try:
            for notice in pending:
                self._relay(notice.ticket, notice.subscriber, notice.change)
                relayed.append(notice.notice_id)
        finally:
            self.store.notices_relayed(relayed)
        return len(relayed)
