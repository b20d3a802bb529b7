"""Concerns in the relational store (SQLite or PostgreSQL through SQLAlchemy).

Every write is one transaction: a concern and its first history entry are stored together or not at
all, so a failure leaves nothing half-written. Ticket references are unique by constraint; a collision
is retried with a new reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.engine import Engine, Row
from sqlalchemy.exc import IntegrityError

from bot.concerns.model import (
    STATUS_TRANSITIONS,
    Concern,
    ConcernFilter,
    ConcernNotFound,
    ConcernStatus,
    NewConcern,
    StatusChangeRefused,
)
from bot.concerns.tables import concern_events, concern_notices, concerns
from bot.concerns.ticket import new_ticket

MAX_TICKET_ATTEMPTS = 8


def _utc(moment: datetime) -> datetime:
    """Timestamps as stored: timezone-aware UTC (SQLite returns them naive)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _as_date(value: Any) -> date:
    """SQLite returns date() as text, PostgreSQL as a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _concern(row: Row[Any]) -> Concern:
    return Concern(
        ticket=row.ticket,
        category=row.category,
        ministry=row.ministry,
        region=row.region,
        place=row.place,
        language=row.language,
        channel=row.channel,
        description=row.description,
        original=row.original,
        contact_consent=bool(row.contact_consent),
        status=ConcernStatus(row.status),
        public_note=row.public_note,
        created_at=_utc(row.created_at),
        updated_at=_utc(row.updated_at),
    )


def _original(new: NewConcern) -> str | None:
    """What the owning ministry may read: the text as typed and the contact details, with consent only."""
    if not new.contact_consent:
        return None
    return f"{new.description}\n\n{new.contact}" if new.contact else new.description


@dataclass(frozen=True)
class PendingNotice:
    """A status change's notice waiting in the outbox to be relayed to the citizen."""

    notice_id: int
    change: int  #: the change's history entry
    ticket: str
    subscriber: str


def conditions(where: ConcernFilter) -> list[Any]:
    """The SQL conditions of a filter."""
    found: list[Any] = []
    for column, values in (
        (concerns.c.ticket, where.tickets),
        (concerns.c.category, where.categories),
        (concerns.c.status, where.statuses),
    ):
        if values:
            found.append(column.in_(values))
    for column, value in (
        (concerns.c.ministry, where.ministry),
        (concerns.c.category, where.category),
        (concerns.c.region, where.region),
        (concerns.c.status, where.status),
        (concerns.c.language, where.language),
    ):
        if value:
            found.append(column == value)
    if where.since:
        found.append(concerns.c.created_at >= where.since)
    if where.until:
        found.append(concerns.c.created_at < where.until)
    if where.text:
        escaped = where.text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        found.append(func.lower(concerns.c.description).like(f"%{escaped}%", escape="\\"))
    return found


class ConcernStore:
    """Reads and writes concerns."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create(
        self, new: NewConcern, *, ministry: str, description: str, place: str, now: datetime
    ) -> Concern:
        """Store a confirmed concern (texts already redacted); returns it with its ticket."""
        for _ in range(MAX_TICKET_ATTEMPTS):
            ticket = new_ticket()
            values = {
                "ticket": ticket,
                "category": new.category,
                "ministry": ministry,
                "region": new.region,
                "place": place,
                "language": new.language,
                "channel": new.channel,
                "subscriber": new.subscriber,
                "description": description,
                "original": _original(new),
                "contact_consent": new.contact_consent,
                "status": ConcernStatus.RECEIVED.value,
                "public_note": "",
                "created_at": now,
                "updated_at": now,
            }
            try:
                with self._engine.begin() as connection:
                    concern_id = connection.execute(concerns.insert().values(**values)).inserted_primary_key[
                        0
                    ]
                    connection.execute(
                        concern_events.insert().values(
                            concern_id=concern_id,
                            at=now,
                            actor="citizen",
                            from_status=None,
                            to_status=ConcernStatus.RECEIVED.value,
                            note="",
                        )
                    )
                return self.get(ticket)
            except IntegrityError:
                continue  # the reference was taken: draw another
        raise RuntimeError("could not draw a free ticket reference")

    def get(self, ticket: str) -> Concern:
        """One concern; :class:`ConcernNotFound` when unknown."""
        with self._engine.connect() as connection:
            row = connection.execute(select(concerns).where(concerns.c.ticket == ticket.upper())).first()
        if row is None:
            raise ConcernNotFound(ticket)
        return _concern(row)

    def find(self, where: ConcernFilter, *, limit: int = 50, offset: int = 0) -> tuple[list[Concern], int]:
        """A page of concerns, newest first, and how many match in all."""
        condition = and_(True, *conditions(where))
        with self._engine.connect() as connection:
            total = connection.execute(
                select(func.count()).select_from(concerns).where(condition)
            ).scalar_one()
            rows = connection.execute(
                select(concerns)
                .where(condition)
                .order_by(concerns.c.created_at.desc(), concerns.c.id.desc())
                .limit(limit)
                .offset(offset)
            ).all()
        return [_concern(row) for row in rows], int(total)

    def daily_counts(self, where: ConcernFilter) -> list[tuple[date, str, str, str, int]]:
        """(day, category, region, status, count) of the concerns matching ``where``."""
        day = func.date(concerns.c.created_at)
        condition = and_(True, *conditions(where))
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(day, concerns.c.category, concerns.c.region, concerns.c.status, func.count())
                .where(condition)
                .group_by(day, concerns.c.category, concerns.c.region, concerns.c.status)
            ).all()
        return [(_as_date(r[0]), r[1], r[2], r[3], int(r[4])) for r in rows]

    def descriptions(self, where: ConcernFilter, limit: int = 20_000) -> list[str]:
        """The (redacted) texts of matching concerns, newest first."""
        condition = and_(True, *conditions(where))
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(concerns.c.description)
                .where(condition)
                .order_by(concerns.c.created_at.desc())
                .limit(limit)
            ).all()
        return [r[0] for r in rows]

    def change_status(
        self, ticket: str, to: ConcernStatus, *, actor: str, note: str, now: datetime
    ) -> Concern:
        """Move a concern to ``to`` with a note, recording who and when, and put the citizen's notice in
        the outbox (one transaction: the change and its notice exist together or not at all)."""
        with self._engine.begin() as connection:
            row = connection.execute(
                select(concerns.c.id, concerns.c.status, concerns.c.subscriber)
                .where(concerns.c.ticket == ticket.upper())
                .with_for_update()
            ).first()
            if row is None:
                raise ConcernNotFound(ticket)
            current = ConcernStatus(row.status)
            if to not in STATUS_TRANSITIONS[current]:
                allowed = ", ".join(sorted(s.value for s in STATUS_TRANSITIONS[current])) or "none"
                raise StatusChangeRefused(
                    f"cannot go from {current.value} to {to.value}; possible: {allowed}"
                )
            connection.execute(
                update(concerns)
                .where(concerns.c.id == row.id)
                .values(status=to.value, public_note=note, updated_at=now)
            )
            change_id = connection.execute(
                concern_events.insert().values(
                    concern_id=row.id,
                    at=now,
                    actor=actor,
                    from_status=current.value,
                    to_status=to.value,
                    note=note,
                )
            ).inserted_primary_key[0]
            if row.subscriber:
                connection.execute(
                    concern_notices.insert().values(
                        change_id=change_id, ticket=ticket.upper(), subscriber=row.subscriber, created_at=now
                    )
                )
        return self.get(ticket)

    def pending_notices(self, limit: int = 100) -> list[PendingNotice]:
        """Notices in the outbox, oldest first."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(concern_notices).order_by(concern_notices.c.id).limit(limit)
            ).all()
        return [
            PendingNotice(notice_id=r.id, change=r.change_id, ticket=r.ticket, subscriber=r.subscriber)
            for r in rows
        ]

    def notices_relayed(self, notice_ids: list[int]) -> None:
        """Remove notices from the outbox once they are in the queue."""
        if notice_ids:
            with self._engine.begin() as connection:
                connection.execute(delete(concern_notices).where(concern_notices.c.id.in_(notice_ids)))

    def history(self, ticket: str) -> list[dict[str, Any]]:
        """The audit trail of a concern, oldest first."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(concern_events)
                .join(concerns, concerns.c.id == concern_events.c.concern_id)
                .where(concerns.c.ticket == ticket.upper())
                .order_by(concern_events.c.id)
            ).all()
        return [
            {
                "at": _utc(r.at).isoformat(),
                "actor": r.actor,
                "from": r.from_status,
                "to": r.to_status,
                "note": r.note,
            }
            for r in rows
        ]

    def subscriber_of(self, ticket: str) -> str:
        """Whom to tell about a change (channel:address), or "" when they asked to be forgotten."""
        with self._engine.connect() as connection:
            value = connection.execute(
                select(concerns.c.subscriber).where(concerns.c.ticket == ticket.upper())
            ).scalar()
        return str(value or "")

    def purge_texts(self, before: datetime, now: datetime) -> int:
        """Remove the texts of concerns created before ``before`` (retention); counts remain."""
        with self._engine.begin() as connection:
            result = connection.execute(
                update(concerns)
                .where(concerns.c.created_at < before, concerns.c.texts_purged_at.is_(None))
                .values(description="", original=None, place="", subscriber="", texts_purged_at=now)
            )
        return int(result.rowcount or 0)

    def forget(self, subscriber: str) -> int:
        """A citizen's "delete my data": their address, original texts and notices not yet relayed go;
        redacted records stay."""
        with self._engine.begin() as connection:
            connection.execute(delete(concern_notices).where(concern_notices.c.subscriber == subscriber))
            result = connection.execute(
                update(concerns)
                .where(concerns.c.subscriber == subscriber)
                .values(subscriber="", original=None)
            )
        return int(result.rowcount or 0)
