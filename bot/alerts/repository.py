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
from bot.alerts.lifecycle import Status
from bot.alerts.record import AlertNotFound, AlertRecord, DuplicateAlert

if TYPE_CHECKING:
    from redis import Redis
    from redis.client import Pipeline

#: Records read per round trip when a status filter may skip many.
STATUS_SCAN_CHUNK = 200
#: Called inside the transaction with the pipeline and the changed record.
SideEffects = Callable[["Pipeline[bytes]", AlertRecord], None]


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

    def list(
        self,
        ministry: str | None,
        *,
        limit: int,
        before: float | None = None,
        status: Status | None = None,
    ) -> list[AlertRecord]:
        """Newest first; one ministry's or (``None``) everyone's; ``before`` pages by creation time.

        With ``status``, only records in that status, and still ``limit`` of them when there are that
        many: the index is read in chunks until the page is full or the index ends.
        """
        key = redis_keys.alert_records_of_ministry(ministry) if ministry else redis_keys.alert_records()
        found: list[AlertRecord] = []
        top = f"({before}" if before is not None else "+inf"
        chunk = limit if status is None else max(limit, STATUS_SCAN_CHUNK)
        while len(found) < limit:
            scored = self._redis.zrevrangebyscore(key, top, "-inf", start=0, num=chunk, withscores=True)
            if not scored:
                break
            documents = self._redis.mget([redis_keys.alert_record(raw.decode()) for raw, _ in scored])
            for document in documents:
                if document is None:
                    continue
                record = AlertRecord.from_json(json.loads(document))
                if status is None or record.status is status:
                    found.append(record)
                    if len(found) == limit:
                        break
            if len(scored) < chunk:
                break
            top = f"({scored[-1][1]!r}"
        return found
