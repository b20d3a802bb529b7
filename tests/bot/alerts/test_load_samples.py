"""The sample alerts of ``data/samples/alerts.yml``: made active from now, filed and approved as their
ministries' alerts, so that the chat and the public feeds list the same ones."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.alerts.lifecycle import Status
from bot.alerts.load_samples import SAMPLES_APPROVER, main, publish_samples, sample_alerts
from bot.alerts.model import utc_now
from bot.services import Services, use
from bot.settings import PROJECT_ROOT

SAMPLES = PROJECT_ROOT / "data" / "samples" / "alerts.yml"


def test_samples_are_in_force_from_the_moment_they_are_loaded() -> None:
    before = utc_now()
    alerts = sample_alerts(SAMPLES)
    assert alerts and all(before <= a.effective <= utc_now() and a.is_active(utc_now()) for a in alerts)
    flood = next(a for a in alerts if a.alert_id == "sample-flood-coast")
    assert flood.expires - flood.effective == timedelta(hours=72)
    assert flood.regions == ("coast", "lakes") and set(flood.texts) >= {"en", "fr", "sw"}
    assert flood.sender == "disaster"  # a ministry of the catalogue: its name is said in every language


def test_samples_are_live_alerts_of_their_ministry_for_the_chat_and_the_feeds(services: Services) -> None:
    published = publish_samples(services.alerts, sample_alerts(SAMPLES))
    assert {r.alert_id: r.ministry for r in published} == {
        "sample-flood-coast": "disaster",
        "sample-heat-north": "health",
    }
    assert all(r.status is Status.SENDING for r in published)
    assert published[0].lifecycle.approved_by == SAMPLES_APPROVER  # the ministry wants a second person
    in_force = {r.alert_id for r in services.alerts.in_force(utc_now())}  # what the feeds list
    in_chat = {
        a.alert_id
        for region in ("coast", "north")
        for a in services.active_alerts.active_in_region(region, utc_now())
    }
    assert in_force == in_chat == {"sample-flood-coast", "sample-heat-north"}
    assert publish_samples(services.alerts, sample_alerts(SAMPLES)) == []  # loading again changes nothing


def test_the_command_loads_a_file(
    services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "alerts.yml"
    path.write_text(
        "alerts:\n"
        "  - {alert_id: demo, ministry: meteo, severity: Minor, regions: [west], expires_in_hours: 1,\n"
        "     texts: {en: {headline: Dust, description: Windy., instruction: Close windows.}}}\n",
        encoding="utf-8",
    )
    use(services)
    try:
        assert main([str(path)]) == 0
        assert main([str(path)]) == 0
    finally:
        use(None)
    assert [a.alert_id for a in services.active_alerts.active_in_region("west", utc_now())] == ["demo"]
    assert [r.alert_id for r in services.alerts.in_force(utc_now())] == ["demo"]
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"loaded 1 sample alerts from {path}",
        f"loaded 0 sample alerts from {path} (1 already loaded)",
    ]
