"""Records as the releases before the move to the database kept them in Redis, written key by key
(never through today's stores), for the tests of the migrations that move them."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import redis

from bot import redis_keys


def old_api_key(
    client: redis.Redis[bytes],
    key: str,
    ministry: str,
    role: str,
    name: str,
    created_at: str,
    person: str = "",
) -> None:
    """A key of the old ``baraza:apikeys`` hash (``key`` is the plain key ``bz_<id>_<secret>``)."""
    record = {"digest": hashlib.sha256(key.encode()).hexdigest(), "ministry": ministry, "role": role}
    record.update(name=name, created_at=created_at)
    if person:  # keys issued before persons were recorded have none
        record["person"] = person
    client.hset(redis_keys.api_keys(), key.split("_", 2)[1], json.dumps(record))


def old_subscription(
    client: redis.Redis[bytes],
    sid: str,
    region: str,
    topics: tuple[str, ...],
    language: str,
    consented_at: datetime,
    channel: str | None = None,
) -> None:
    """A subscription as the old store kept it: the subscriber's hash and the region's sets."""
    for topic in topics or (None,):
        client.sadd(redis_keys.subscribers_of_region(region, topic), sid)
    consent = {
        "topics": list(topics),
        "consented_at": consented_at.isoformat(),
        "consent_channel": channel or sid.partition(":")[0],
    }
    client.hset(
        redis_keys.subscriber(sid), mapping={"language": language, f"region:{region}": json.dumps(consent)}
    )


def old_alert_record(client: redis.Redis[bytes], document: dict[str, Any], shown: bool = False) -> None:
    """An alert record as the old repository kept it: its JSON document (the API's representation),
    the indexes by creation time and ministry and its CAP identity; with ``shown``, the view citizens
    read, which the old release wrote in the same transaction when the alert went live."""
    alert_id, ministry = document["id"], document["ministry"]
    created = datetime.fromisoformat(document["created_at"]).timestamp()
    client.set(redis_keys.alert_record(alert_id), json.dumps(document))
    client.zadd(redis_keys.alert_records(), {alert_id: created})
    client.zadd(redis_keys.alert_records_of_ministry(ministry), {alert_id: created})
    cap = document["cap"]
    client.set(redis_keys.alert_by_cap_identity(cap["sender"], cap["identifier"]), alert_id)
    if shown:
        alert = document["alert"]
        expires = datetime.fromisoformat(alert["expires"]).timestamp()
        client.set(redis_keys.alert(alert_id), json.dumps(alert))
        client.expireat(redis_keys.alert(alert_id), int(expires) + 1)
        for region in alert["regions"]:
            client.zadd(redis_keys.alerts_by_region(region), {alert_id: expires})
