"""The sample alerts of ``data/samples/alerts.yml``, made active from now and loaded into Redis."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import redis

from bot.alerts.load_samples import main, sample_alerts
from bot.alerts.model import utc_now
from bot.alerts.store import ActiveAlertStore
from bot.services import Services, use
from bot.settings import PROJECT_ROOT


def test_sample_alerts_load_and_are_active(redis_client: redis.Redis[bytes]) -> None:
    store = ActiveAlertStore(redis_client)
    for alert in sample_alerts(PROJECT_ROOT / "data" / "samples" / "alerts.yml"):
        store.save(alert)
    assert store.active_in_region("coast", utc_now())[0].alert_id == "sample-flood-coast"


def test_samples_are_in_force_from_the_moment_they_are_loaded() -> None:
    before = utc_now()
    alerts = sample_alerts(PROJECT_ROOT / "data" / "samples" / "alerts.yml")
    assert alerts and all(before <= a.effective <= utc_now() and a.is_active(utc_now()) for a in alerts)
    flood = next(a for a in alerts if a.alert_id == "sample-flood-coast")
    assert flood.expires - flood.effective == timedelta(hours=72)
    assert flood.regions == ("coast", "lakes") and set(flood.texts) >= {"en", "fr", "sw"}


def test_the_command_loads_a_file_into_the_active_alerts(
    services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "alerts.yml"
    path.write_text(
        "alerts:\n"
        "  - {alert_id: demo, severity: Minor, regions: [west], expires_in_hours: 1,\n"
        "     texts: {en: {headline: Dust, description: Windy., instruction: Close windows.}}}\n",
        encoding="utf-8",
    )
    use(services)
    try:
        assert main([str(path)]) == 0
    finally:
        use(None)
    assert [a.alert_id for a in services.active_alerts.active_in_region("west", utc_now())] == ["demo"]
    assert f"loaded 1 sample alerts from {path}" in capsys.readouterr().out
