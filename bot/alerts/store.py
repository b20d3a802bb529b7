"""Active alerts in Redis, indexed by region."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from bot import redis_keys
from bot.alerts.model import SEVERITIES, Alert

if TYPE_CHECKING:
    import redis


class ActiveAlertStore:
    """Stores alerts and answers "which alerts are active in this region now?"."""

    def __init__(self, client: redis.Redis[bytes]) -> None:
        self._redis = client

    def save(self, alert: Alert) -> None:
        """Store (or replace) an alert and index it under each of its regions."""
        expires_at = alert.expires.timestamp()
        pipe = self._redis.pipeline(transaction=True)
        pipe.set(redis_keys.alert(alert.alert_id), json.dumps(alert.to_json()))
        pipe.expireat(redis_keys.alert(alert.alert_id), int(expires_at) + 1)
        for region in alert.regions:
            pipe.zadd(redis_keys.alerts_by_region(region), {alert.alert_id: expires_at})
        pipe.execute()

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
