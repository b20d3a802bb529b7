"""Alert records in the database (``tables.py``): one row per alert, its history, its outbox.

Status changes go through :meth:`AlertRepository.change`, a compare-and-set on the row's version:
the change is computed from the record as read, then written only where the version is still the
one read (``UPDATE ... WHERE version = :read``); when another writer got there first nothing is
written and the change is computed again on their result. Two approvers pressing "approve" at once
cannot both win, and no lock is held while the change is computed. The same transaction appends the
change's history entries and, when the change must do something outside the database (show the
alert to citizens, queue its fan-out), writes that in the outbox: an approved alert without its
fan-out job waiting to go cannot exist. The relay (``outbox.py``) applies the outbox to Redis.

The same code runs on PostgreSQL and on SQLite (the embedded default): plain statements, times
stored in UTC (SQLite gives them back without a zone).
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.alerts.effects import Effects
from bot.alerts.lifecycle import LIVE, HistoryEntry, Lifecycle, Move, Status
from bot.alerts.model import Alert
from bot.alerts.record import AlertNotFound, AlertRecord, DuplicateAlert
from bot.alerts.tables import alert_events, alert_outbox, alerts

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine, Row

#: Decides, from the changed record, what the change must do outside the database.
EffectsOf = Callable[[AlertRecord], Effects]
#: Times a change is computed again after losing the race to other writers before giving up.
MAX_ATTEMPTS = 100
#: Records read per query when going through many (the rebuild of what citizens see).
PAGE = 200


class ConcurrentChanges(RuntimeError):
    """The record kept changing under a writer :data:`MAX_ATTEMPTS` times in a row."""


@dataclass(frozen=True)
class PendingEffects:
    """A change's effects waiting in the outbox: the alert's version it made, and its content."""

    alert: Alert
    version: int
    effects: Effects


def _utc(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _changing(record: AlertRecord) -> dict[str, Any]:
    """The columns a change may write."""
    lifecycle = record.lifecycle
    return {
        "status": record.status.value,
        "submitted_by": lifecycle.submitted_by,
        "approved_by": lifecycle.approved_by,
        "submitted_by_person": lifecycle.submitted_by_person,
        "approved_by_person": lifecycle.approved_by_person,
        "superseded_by": record.superseded_by,
    }


def _columns(record: AlertRecord, version: int) -> dict[str, Any]:
    """Every column of a new row."""
    alert = record.alert
    return {
        "alert_id": record.alert_id,
        "version": version,
        "ministry": record.ministry,
        "content": json.dumps(alert.to_json()),
        "effective": _utc(alert.effective),
        "expires": _utc(alert.expires),
        "created_by": record.created_by,
        "created_at": _utc(record.created_at),
        "cap_sender": record.cap_sender,
        "cap_identifier": record.cap_identifier,
        "cap_sent": _utc(record.cap_sent),
        **_changing(record),
    }


def _events(alert_id: str, history: tuple[HistoryEntry, ...], start: int) -> list[dict[str, Any]]:
    """Rows of the history entries from position ``start`` on."""
    return [
        {
            "alert_id": alert_id,
            "position": position,
            "move": entry.move.value,
            "actor": entry.actor,
            "person": entry.person,
            "at": _utc(entry.at),
            "from_status": entry.from_status.value,
            "to_status": entry.to_status.value,
            "note": entry.note,
        }
        for position, entry in enumerate(history[start:], start)
    ]


def _entry(row: Row[Any]) -> HistoryEntry:
    return HistoryEntry(
        move=Move(row.move),
        actor=row.actor,
        at=_utc(row.at),
        from_status=Status(row.from_status),
        to_status=Status(row.to_status),
        note=row.note,
        person=row.person,
    )


def _record(row: Row[Any], history: tuple[HistoryEntry, ...]) -> AlertRecord:
    return AlertRecord(
        alert=Alert.from_json(json.loads(row.content)),
        ministry=row.ministry,
        lifecycle=Lifecycle(
            status=Status(row.status),
            history=history,
            submitted_by=row.submitted_by,
            approved_by=row.approved_by,
            submitted_by_person=row.submitted_by_person,
            approved_by_person=row.approved_by_person,
        ),
        created_by=row.created_by,
        created_at=_utc(row.created_at),
        cap_sender=row.cap_sender,
        cap_identifier=row.cap_identifier,
        cap_sent=_utc(row.cap_sent),
        superseded_by=row.superseded_by,
    )


@contextmanager
def _without_waiting_for_the_disk(connection: Connection) -> Iterator[None]:
    """Commits on ``connection`` that need not wait for the disk: taking a row out of the outbox once
    Redis has its effects. Lost in a crash, the row is relayed again and the mark in Redis makes that a
    no-op; not waiting halves what an approval costs (one disk flush instead of two). PostgreSQL:
    ``synchronous_commit`` off for each such transaction (``relay_pending``); SQLite (WAL): the
    connection's ``synchronous`` NORMAL until the relay is done."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = int(connection.exec_driver_sql("PRAGMA synchronous").scalar() or 2)
    connection.exec_driver_sql("PRAGMA synchronous = NORMAL")
    connection.commit()  # the pragmas ran outside any SQL transaction; this ends SQLAlchemy's
    try:
        yield
    finally:
        connection.rollback()
        connection.exec_driver_sql(f"PRAGMA synchronous = {before}")
        connection.commit()


class AlertRepository:
    """Reads and writes alert records and their outbox."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # Writing -------------------------------------------------------------------------------------

    def add(self, record: AlertRecord) -> None:
        """Store a new record; :class:`DuplicateAlert` if its CAP identity is already known."""
        self.adopt(record, adopted=False)

    def adopt(self, record: AlertRecord, *, adopted: bool = True) -> bool:
        """Store ``record`` with its history as given (the migration brings old records from Redis);
        False, leaving the stored one as it is, if a record with its id is already here.

        :class:`DuplicateAlert` when another record has its CAP identity.
        """
        try:
            with self._engine.begin() as connection:
                connection.execute(insert(alerts).values(**_columns(record, version=1)))
                rows = _events(record.alert_id, record.lifecycle.history, 0)
                if rows:
                    connection.execute(insert(alert_events), rows)
            return True
        except IntegrityError:
            existing = self._id_of(record.cap_sender, record.cap_identifier)
            if existing == record.alert_id and adopted:
                return False
            if existing is not None:
                raise DuplicateAlert(
                    f"an alert with CAP identifier {record.cap_identifier!r} from {record.cap_sender!r} "
                    f"was already received (id {existing})"
                ) from None
            if adopted and self._exists(record.alert_id):
                return False
            raise

    def change(
        self, alert_id: str, update_: Callable[[AlertRecord], AlertRecord], effects: EffectsOf | None = None
    ) -> AlertRecord:
        """Apply ``update_`` to the stored record and write the result if nobody changed the record
        meanwhile (else compute it again on theirs), with its history and its ``effects`` in the outbox.

        Exceptions raised by ``update_`` (e.g. a refused transition) leave the record unchanged.
        """
        with self._engine.connect() as connection:
            for _ in range(MAX_ATTEMPTS):
                current, version = self._read(connection, alert_id)
                connection.rollback()  # nothing is held (no lock, no snapshot) while the change is computed
                changed = update_(current)
                known = len(current.lifecycle.history)
                if changed.lifecycle.history[:known] != current.lifecycle.history:
                    raise ValueError("a change may add to an alert's history, never rewrite it")
                with connection.begin():
                    if self._write(connection, alert_id, version, changed, known, effects):
                        return changed
        raise ConcurrentChanges(f"alert {alert_id} kept changing under this writer")

    @staticmethod
    def _write(
        connection: Connection,
        alert_id: str,
        version: int,
        changed: AlertRecord,
        known: int,
        effects: EffectsOf | None,
    ) -> bool:
        """Write ``changed`` over ``version`` with its new history entries and its effects; False when
        another writer's change came first (then nothing is written: it is computed again on theirs)."""
        written = connection.execute(
            update(alerts)
            .where(and_(alerts.c.alert_id == alert_id, alerts.c.version == version))
            .values(**_changing(changed), version=version + 1)
        )
        if written.rowcount != 1:
            return False
        rows = _events(alert_id, changed.lifecycle.history, known)
        if rows:
            connection.execute(insert(alert_events), rows)
        todo = effects(changed) if effects else None
        if todo:
            at = changed.lifecycle.history[-1].at if changed.lifecycle.history else datetime.now(timezone.utc)
            connection.execute(
                insert(alert_outbox).values(
                    alert_id=alert_id, version=version + 1, effects=todo.to_json(), created_at=_utc(at)
                )
            )
        return True

    # Reading -------------------------------------------------------------------------------------

    def get(self, alert_id: str) -> AlertRecord:
        """One record; :class:`AlertNotFound` if there is none."""
        with self._engine.connect() as connection:
            return self._read(connection, alert_id)[0]

    def find_by_cap_identity(self, sender: str, identifier: str) -> AlertRecord | None:
        """The record a CAP reference points at, if it was received here."""
        alert_id = self._id_of(sender, identifier)
        return self.get(alert_id) if alert_id else None

    def list(
        self,
        ministry: str | None,
        *,
        limit: int,
        before: float | None = None,
        status: Status | None = None,
    ) -> list[AlertRecord]:
        """Newest first; one ministry's or (``None``) everyone's; ``before`` pages by creation time
        (epoch seconds: records created strictly earlier); with ``status``, only records in it."""
        query = select(alerts)
        if ministry is not None:
            query = query.where(alerts.c.ministry == ministry)
        if before is not None:
            query = query.where(alerts.c.created_at < datetime.fromtimestamp(before, timezone.utc))
        if status is not None:
            query = query.where(alerts.c.status == status.value)
        return self._many(query.order_by(alerts.c.created_at.desc(), alerts.c.alert_id.desc()).limit(limit))

    def in_force(self, now: datetime, *, limit: int) -> builtins.list[AlertRecord]:
        """Live records in force at ``now`` (effective, not expired), newest first."""
        moment = _utc(now)
        query = (
            select(alerts)
            .where(
                alerts.c.status.in_([s.value for s in LIVE]),
                alerts.c.effective <= moment,
                alerts.c.expires > moment,
            )
            .order_by(alerts.c.created_at.desc(), alerts.c.alert_id.desc())
            .limit(limit)
        )
        return self._many(query)

    def due_to_expire(self, now: datetime, *, limit: int) -> builtins.list[AlertRecord]:
        """Live records whose time is over at ``now``, soonest expired first."""
        query = (
            select(alerts)
            .where(alerts.c.status.in_([s.value for s in LIVE]), alerts.c.expires <= _utc(now))
            .order_by(alerts.c.expires, alerts.c.alert_id)
            .limit(limit)
        )
        return self._many(query)

    def unexpired(self, now: datetime) -> Iterator[tuple[AlertRecord, int]]:
        """Every record not yet expired at ``now``, with its version, a page at a time (what
        citizens may be shown is derived from these: ``outbox.AlertOutbox.rebuild``)."""
        after = ""
        while True:
            with self._engine.connect() as connection:
                rows = connection.execute(
                    select(alerts)
                    .where(alerts.c.expires > _utc(now), alerts.c.alert_id > after)
                    .order_by(alerts.c.alert_id)
                    .limit(PAGE)
                ).all()
                histories = self._histories(connection, [row.alert_id for row in rows])
            yield from ((_record(row, histories.get(row.alert_id, ())), row.version) for row in rows)
            if len(rows) < PAGE:
                return
            after = rows[-1].alert_id

    # The outbox ----------------------------------------------------------------------------------

    def pending_effects(self, *, limit: int, alert_id: str | None = None) -> builtins.list[PendingEffects]:
        """Effects waiting in the outbox (one alert's, or everyone's), in the order they were written."""
        with self._engine.connect() as connection:
            return self._pending(connection, limit, alert_id)

    def relay_pending(
        self, apply: Callable[[PendingEffects], object], *, limit: int, alert_id: str | None = None
    ) -> int:
        """Call ``apply`` on each change's effects waiting in the outbox, in the order they were written,
        and take each out once ``apply`` returned (on one connection); how many were taken out. An
        exception from ``apply`` stops there and leaves that change and the later ones waiting."""
        with self._engine.connect() as connection:
            pending = self._pending(connection, limit, alert_id)
            connection.rollback()  # no snapshot held while Redis is written (SQLite could not write after)
            if not pending:
                return 0
            with _without_waiting_for_the_disk(connection):
                for entry in pending:
                    apply(entry)
                    with connection.begin():
                        if connection.dialect.name == "postgresql":
                            connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
                        self._take_out(connection, entry.alert.alert_id, entry.version)
        return len(pending)

    def effects_applied(self, alert_id: str, version: int) -> None:
        """Take a change's effects out of the outbox once they are applied."""
        with self._engine.begin() as connection:
            self._take_out(connection, alert_id, version)

    @staticmethod
    def _pending(connection: Connection, limit: int, alert_id: str | None) -> builtins.list[PendingEffects]:
        query = (
            select(alert_outbox.c.version, alert_outbox.c.effects, alerts.c.content)
            .join(alerts, alerts.c.alert_id == alert_outbox.c.alert_id)
            .order_by(alert_outbox.c.id)
            .limit(limit)
        )
        if alert_id is not None:
            query = query.where(alert_outbox.c.alert_id == alert_id)
        return [
            PendingEffects(Alert.from_json(json.loads(r.content)), r.version, Effects.from_json(r.effects))
            for r in connection.execute(query).all()
        ]

    @staticmethod
    def _take_out(connection: Connection, alert_id: str, version: int) -> None:
        """Delete one change's row, named by the change, not by the row's id (SQLite reuses the ids of
        deleted rows: a relay still holding an old id could delete a newer change's row)."""
        connection.execute(
            delete(alert_outbox).where(
                and_(alert_outbox.c.alert_id == alert_id, alert_outbox.c.version == version)
            )
        )

    # Internals -----------------------------------------------------------------------------------

    def _read(self, connection: Connection, alert_id: str) -> tuple[AlertRecord, int]:
        row = connection.execute(select(alerts).where(alerts.c.alert_id == alert_id)).first()
        if row is None:
            raise AlertNotFound(alert_id)
        history = self._histories(connection, [alert_id]).get(alert_id, ())
        return _record(row, history), int(row.version)

    def _many(self, query: Any) -> builtins.list[AlertRecord]:
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
            histories = self._histories(connection, [row.alert_id for row in rows])
        return [_record(row, histories.get(row.alert_id, ())) for row in rows]

    @staticmethod
    def _histories(
        connection: Connection, alert_ids: builtins.list[str]
    ) -> dict[str, tuple[HistoryEntry, ...]]:
        """The history of each of ``alert_ids``, in one query."""
        if not alert_ids:
            return {}
        rows = connection.execute(
            select(alert_events)
            .where(alert_events.c.alert_id.in_(alert_ids))
            .order_by(alert_events.c.alert_id, alert_events.c.position)
        ).all()
        found: dict[str, list[HistoryEntry]] = {}
        for row in rows:
            found.setdefault(row.alert_id, []).append(_entry(row))
        return {alert_id: tuple(entries) for alert_id, entries in found.items()}

    def _id_of(self, sender: str, identifier: str) -> str | None:
        with self._engine.connect() as connection:
            found = connection.execute(
                select(alerts.c.alert_id).where(
                    and_(alerts.c.cap_sender == sender, alerts.c.cap_identifier == identifier)
                )
            ).scalar()
        return str(found) if found is not None else None

    def _exists(self, alert_id: str) -> bool:
        with self._engine.connect() as connection:
            found = connection.execute(select(alerts.c.alert_id).where(alerts.c.alert_id == alert_id))
            return found.first() is not None
