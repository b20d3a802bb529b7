"""Alerts citizens can see now, in Redis, indexed by region."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from bot import redis_keys
from bot.alerts.model import SEVERITIES, Alert

if TYPE_CHECKING:
    import redis
    from redis.client import Pipeline


def publish(pipe: Pipeline[bytes], alert: Alert) -> None:
    """Queue the commands that make an alert visible in each of its regions until it expires."""
    expires_at = alert.expires.timestamp()
    pipe.set(redis_keys.alert(alert.alert_id), json.dumps(alert.to_json()))
    pipe.expireat(redis_keys.alert(alert.alert_id), int(expires_at) + 1)
    for region in alert.regions:
        pipe.zadd(redis_keys.alerts_by_region(region), {alert.alert_id: expires_at})


def withdraw(pipe: Pipeline[bytes], alert: Alert) -> None:
    """Queue the commands that stop showing an alert (cancelled or replaced)."""
    pipe.delete(redis_keys.alert(alert.alert_id))
    for region in alert.regions:
        pipe.zrem(redis_keys.alerts_by_region(region), alert.alert_id)


class ActiveAlertStore:
    """Stores alerts and answers "which alerts are active in this region now?"."""

    def __init__(self, client: redis.Redis[bytes]) -> None:
        self._redis = client

    def save(self, alert: Alert) -> None:
        """Store (or replace) an alert and index it under each of its regions."""
        pipe = self._redis.pipeline(transaction=True)
        publish(pipe, alert)
        pipe.execute()

    def get(self, alert_id: str) -> Alert | None:
        """An alert that is (or was recently) shown, by id."""
        raw = self._redis.get(redis_keys.alert(alert_id))
        return Alert.from_json(json.loads(raw)) if raw else None

    def active_in_region(self, region_id: str, now: datetime) -> list[Alert]:
        """Alerts in force in a region at ``now``, most severe first, then soonest to expire."""
        key = redis_keys.alerts_by_region(region_id)
        self._redis.zremrangebyscore(key, "-inf", now.timestamp())
        ids = [raw.decode() for raw in self._redis.zrangebyscore(key, now.timestamp(), "+inf")]
        if not ids:
            return []
        documents = self._redis.mget([redis_keys.alert(alert_id) for alert_id in ids])
        alerts = [Alert.from_json(json.loads(doc)) for doc in documents if doc is not None]
        active = [alert for alert in alerts if alert.is_active(now)]
        return sorted(active, key=lambda a: (SEVERITIES.index(a.severity), a.expires))
