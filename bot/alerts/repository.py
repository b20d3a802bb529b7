"""Alert records in Redis: saved whole as JSON, indexed by ministry and by CAP identity.

Status changes go through :meth:`AlertRepository.change`, an optimistic transaction (WATCH/MULTI):
two approvers pressing "approve" at once cannot both win, and whatever must happen with the change
(publishing to citizens, queueing the fan-out) is written in the same transaction, so an approved
alert without its fan-out job cannot exist.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

import redis as redis_lib

from bot import redis_keys
from bot.alerts.record import AlertRecord

if TYPE_CHECKING:
    from redis import Redis
    from redis.client import Pipeline

#: Called inside the transaction with the pipeline and the changed record.
SideEffects = Callable[["Pipeline[bytes]", AlertRecord], None]


class AlertNotFound(KeyError):
    """No alert with that id."""


class DuplicateAlert(ValueError):
    """A CAP (sender, identifier) pair that was already received."""


class AlertRepository:
    """Reads and writes alert records."""

    def __init__(self, client: Redis[bytes]) -> None:
        self._redis = client

    def add(self, record: AlertRecord, side_effects: SideEffects | None = None) -> None:
        """Store a new record; :class:`DuplicateAlert` if its CAP identity is already known."""
        identity = redis_keys.alert_by_cap_identity(record.cap_sender, record.cap_identifier)
        if not self._redis.set(identity, record.alert_id, nx=True):
            existing = self._redis.get(identity)
            raise DuplicateAlert(
                f"an alert with CAP identifier {record.cap_identifier!r} from {record.cap_sender!r} "
                f"was already "
                f"received (id {existing.decode() if existing else '?'})"
            )
        created = record.created_at.timestamp()
        pipe = self._redis.pipeline(transaction=True)
        pipe.set(redis_keys.alert_record(record.alert_id), json.dumps(record.to_json()))
        pipe.zadd(redis_keys.alert_records(), {record.alert_id: created})
        pipe.zadd(redis_keys.alert_records_of_ministry(record.ministry), {record.alert_id: created})
        if side_effects:
            side_effects(pipe, record)
        pipe.execute()

    def get(self, alert_id: str) -> AlertRecord:
        """One record; :class:`AlertNotFound` if there is none."""
        raw = self._redis.get(redis_keys.alert_record(alert_id))
        if raw is None:
            raise AlertNotFound(alert_id)
        return AlertRecord.from_json(json.loads(raw))

    def find_by_cap_identity(self, sender: str, identifier: str) -> AlertRecord | None:
        """The record a CAP reference points at, if it was received here."""
        alert_id = self._redis.get(redis_keys.alert_by_cap_identity(sender, identifier))
        return self.get(alert_id.decode()) if alert_id else None

    def change(
        self,
        alert_id: str,
        update: Callable[[AlertRecord], AlertRecord],
        side_effects: SideEffects | None = None,
    ) -> AlertRecord:
        """Apply ``update`` to the stored record atomically; retried if another writer got there first.

        Exceptions raised by ``update`` (e.g. a refused transition) leave the record unchanged.
        """
        key = redis_keys.alert_record(alert_id)
        with self._redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = cast("bytes | None", pipe.get(key))  # immediate while watching
                    if raw is None:
                        raise AlertNotFound(alert_id)
                    changed = update(AlertRecord.from_json(json.loads(raw)))
                    pipe.multi()
                    pipe.set(key, json.dumps(changed.to_json()))
                    if side_effects:
                        side_effects(pipe, changed)
                    pipe.execute()
                    return changed
                except redis_lib.WatchError:
                    continue

    def list(self, ministry: str | None, *, limit: int, before: float | None = None) -> list[AlertRecord]:
        """Newest first; one ministry's or (``None``) everyone's; ``before`` pages by creation time."""
        key = redis_keys.alert_records_of_ministry(ministry) if ministry else redis_keys.alert_records()
        top = f"({before}" if before is not None else "+inf"
        ids = [raw.decode() for raw in self._redis.zrevrangebyscore(key, top, "-inf", start=0, num=limit)]
        if not ids:
            return []
        documents = self._redis.mget([redis_keys.alert_record(alert_id) for alert_id in ids])
        return [AlertRecord.from_json(json.loads(doc)) for doc in documents if doc is not None]
