from datetime import timedelta

import redis

from bot.alerts.model import Alert, AlertText, utc_now
from bot.alerts.store import ActiveAlertStore


def _alert(alert_id: str, severity: str, regions: tuple[str, ...], hours: float) -> Alert:
    now = utc_now()
    return Alert(
        alert_id=alert_id,
        severity=severity,
        regions=regions,
        effective=now - timedelta(minutes=1),
        expires=now + timedelta(hours=hours),
        texts={"en": AlertText(alert_id, "d", "i")},
    )


def test_active_alerts_by_region_most_severe_first(redis_client: "redis.Redis[bytes]") -> None:
    store = ActiveAlertStore(redis_client)
    store.save(_alert("minor", "Minor", ("coast",), 5))
    store.save(_alert("extreme", "Extreme", ("coast", "lakes"), 5))
    store.save(_alert("other-region", "Severe", ("north",), 5))
    assert [a.alert_id for a in store.active_in_region("coast", utc_now())] == ["extreme", "minor"]
    assert [a.alert_id for a in store.active_in_region("lakes", utc_now())] == ["extreme"]
    assert store.active_in_region("west", utc_now()) == []


def test_expired_alerts_are_not_active(redis_client: "redis.Redis[bytes]") -> None:
    store = ActiveAlertStore(redis_client)
    store.save(_alert("short", "Severe", ("coast",), 1))
    assert store.active_in_region("coast", utc_now() + timedelta(hours=2)) == []
