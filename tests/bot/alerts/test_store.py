from datetime import timedelta

import pytest
import redis

from bot.alerts.load_samples import sample_alerts
from bot.alerts.model import Alert, AlertText, utc_now
from bot.alerts.store import ActiveAlertStore
from bot.settings import PROJECT_ROOT


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


def test_sample_alerts_load_and_are_active(redis_client: "redis.Redis[bytes]") -> None:
    store = ActiveAlertStore(redis_client)
    for alert in sample_alerts(PROJECT_ROOT / "data" / "samples" / "alerts.yml"):
        store.save(alert)
    assert store.active_in_region("coast", utc_now())[0].alert_id == "sample-flood-coast"


def test_alert_rejects_bad_values() -> None:
    now = utc_now()
    with pytest.raises(ValueError, match="severity"):
        Alert(
            "x", "Catastrophic", ("coast",), now, now + timedelta(hours=1), {"en": AlertText("h", "d", "i")}
        )
    with pytest.raises(ValueError, match="expires"):
        Alert("x", "Minor", ("coast",), now, now, {"en": AlertText("h", "d", "i")})
