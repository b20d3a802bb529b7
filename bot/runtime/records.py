"""Moving the records that lived in Redis into the database, once: ``python -m bot.runtime.records migrate``.

Before, Redis held ministry API keys (one hash), subscriptions with their consents (a hash per
subscriber and a set per region and topic) and alert records with their history (a JSON document per
alert, indexed by time, ministry and CAP identity). They are records (who may send, who agreed to be
alerted, who approved what), so they now live in the database, and Redis keeps only what is fast and
rebuildable. :func:`migrate` copies each old entry into the database unchanged (a key keeps its id and
digest, a consent its date and channel, an alert its id, CAP identity, status and every history entry)
and deletes it from Redis only once it is in the database:

- interrupted, it is simply run again (what was copied is not copied twice);
- run again when done, it finds nothing left in Redis and changes nothing;
- what was revoked or unsubscribed in the database after the move never comes back from Redis, nor
  does an old copy of an alert changed in the database since.

What citizens are shown of the alerts (``bot/alerts/store.py``) stays in Redis; once the records are
in, it is written again from them (:meth:`AlertOutbox.rebuild`), which also restores it after a
Redis that lost its data.

The launcher (``./baraza run``) and the containers of the action server and web app run it at start,
after the database migrations and the scoped-ids migration (``bot/subscriptions/scoped_ids.py``).
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot import redis_keys
from bot.alerts.record import AlertRecord, DuplicateAlert
from bot.alerts.repository import AlertRepository
from bot.auth.keys import ApiKeyStore, KeyInfo, StoredKey
from bot.auth.roles import Role
from bot.subscriptions.store import Subscription, SubscriptionStore

if TYPE_CHECKING:
    import redis
    from sqlalchemy.engine import Engine

    from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Moved:
    """How many entries of each kind were moved by one run."""

    api_keys: int = 0
    subscriptions: int = 0  #: one per region a subscriber followed, with its consent
    alerts: int = 0  #: alert records, each with its whole history

    @property
    def total(self) -> int:
        """Everything moved."""
        return self.api_keys + self.subscriptions + self.alerts


def migrate_api_keys(client: redis.Redis[bytes], store: ApiKeyStore) -> int:
    """Move the keys of the old hash; how many were new to the database."""
    moved = 0
    hash_key = redis_keys.api_keys()
    for key_id, raw in client.hgetall(hash_key).items():
        record = json.loads(raw)
        info = KeyInfo(
            key_id=key_id.decode(),
            ministry=record["ministry"],
            role=Role(record["role"]),
            name=record["name"],
            created_at=record["created_at"],
            person=record.get("person", ""),
            desks=tuple(record.get("desks") or ()),
        )
        moved += store.adopt(StoredKey(info, record["digest"]))
        client.hdel(hash_key, key_id)  # in the database now (copied here, or before an interruption)
    return moved


_REGION_FIELD = "region:"


def migrate_subscriptions(client: redis.Redis[bytes], store: SubscriptionStore) -> int:
    """Move every old subscriber hash (language, and a consent per region) and drop the old region
    sets; how many subscriptions were new to the database.

    A consent already in the database for the same subscriber and region is newer (given after the
    move began) and is kept.
    """
    moved = 0
    prefix = redis_keys.subscriber("")
    for key in list(client.scan_iter(match=redis_keys.subscriber("*"), count=1000)):
        sid = key.decode()[len(prefix) :]
        fields = {name.decode(): value.decode() for name, value in client.hgetall(key).items()}
        language = fields.get("language", "")
        pipe = client.pipeline(transaction=True)
        for name, value in sorted(fields.items()):
            if not name.startswith(_REGION_FIELD):
                continue
            region, consent = name[len(_REGION_FIELD) :], json.loads(value)
            subscription = Subscription(
                region=region,
                topics=tuple(consent.get("topics") or ()),
                consented_at=datetime.fromisoformat(consent["consented_at"]),
                consent_channel=consent.get("consent_channel", ""),
            )
            moved += store.adopt(sid, language, subscription, replace=False)
            for topic in subscription.topics or (None,):
                pipe.srem(redis_keys.subscribers_of_region(region, topic), sid)
        pipe.delete(key)
        pipe.execute()
    # What is left of the region sets names nobody with a consent (the hashes are the record).
    for key in list(client.scan_iter(match=redis_keys.subscribers_of_region("*"), count=1000)):
        client.delete(key)
    return moved


def migrate_alerts(client: redis.Redis[bytes], repository: AlertRepository) -> int:
    """Move every old alert record (with its history) and drop its indexes; how many records were new
    to the database.

    A record already in the database (copied before an interruption, and maybe changed since) is kept
    as it is; so is one whose CAP identity a newer record took (it was received again after the move).
    """
    moved = 0
    index = redis_keys.alert_records()
    for raw_id in client.zrange(index, 0, -1):
        alert_id = raw_id.decode()
        document = client.get(redis_keys.alert_record(alert_id))
        if document is not None:
            record = AlertRecord.from_json(json.loads(document))
            try:
                moved += int(repository.adopt(record))
            except DuplicateAlert as error:
                log.warning("old alert %s not moved: %s", alert_id, error)
            pipe = client.pipeline(transaction=True)
            pipe.delete(redis_keys.alert_by_cap_identity(record.cap_sender, record.cap_identifier))
            pipe.zrem(redis_keys.alert_records_of_ministry(record.ministry), alert_id)
            pipe.delete(redis_keys.alert_record(alert_id))
            pipe.zrem(index, alert_id)
            pipe.execute()
        else:
            client.zrem(index, alert_id)  # indexed but gone: nothing to move
    # What is left of the other indexes names no record (the documents were the record).
    for pattern in (redis_keys.alert_records_of_ministry("*"), redis_keys.alert_by_cap_identity("*", "*")):
        for key in list(client.scan_iter(match=pattern, count=1000)):
            client.delete(key)
    return moved


def migrate(client: redis.Redis[bytes], engine: Engine) -> Moved:
    """Move every old record from Redis into the (migrated) database."""
    return Moved(
        api_keys=migrate_api_keys(client, ApiKeyStore(engine)),
        subscriptions=migrate_subscriptions(client, SubscriptionStore(engine)),
        alerts=migrate_alerts(client, AlertRepository(engine)),
    )


def bring_up_to_date(settings: Settings) -> Moved:
    """The database schema migrated, old conversation ids scoped, old records moved out of Redis, what
    citizens see of the alerts written again from the records (each step idempotent: every process may
    run this at start; the first does the work)."""
    import redis as redis_lib

    from bot.alerts.model import utc_now
    from bot.alerts.outbox import AlertOutbox
    from bot.concerns.database import make_engine, upgrade
    from bot.subscriptions.scoped_ids import migrate_subscribers

    upgrade(settings.effective_database_url)
    client = redis_lib.Redis.from_url(settings.redis_url)
    migrate_subscribers(client)  # old ids are renamed first, in Redis, then the records move
    engine = make_engine(settings.effective_database_url)
    try:
        moved = migrate(client, engine)
        AlertOutbox(AlertRepository(engine), client).rebuild(utc_now())
        return moved
    finally:
        engine.dispose()
        client.close()


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    if argv != ["migrate"]:
        print("usage: python -m bot.runtime.records migrate", file=sys.stderr)
        return 2
    from bot.settings import load_settings

    moved = bring_up_to_date(load_settings())
    print(
        f"moved from Redis to the database: {moved.api_keys} API keys, "
        f"{moved.subscriptions} subscriptions with their consents, "
        f"{moved.alerts} alerts with their history"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
