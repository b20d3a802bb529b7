"""What the delivery worker asks of alerts: who follows one, whether it is still live, that it is done."""

from __future__ import annotations

from bot.alerts.broadcasting import AlertBroadcasts
from bot.alerts.lifecycle import Status
from bot.services import Services
from tests.bot.alerts.test_service import HEALTH_AUTHOR, METEO_AUTHOR, make_alert


def _hooks(services: Services, batch: int = 1000) -> AlertBroadcasts:
    return AlertBroadcasts(services.alerts, services.repository, services.subscriptions, batch=batch)


def test_the_audience_is_who_follows_the_regions_for_all_or_one_of_the_topics(services: Services) -> None:
    now = services.now()
    for sid, region, topics in [
        ("null:all", "coast", ()),
        ("null:health", "coast", ("health",)),
        ("null:weather", "coast", ("weather",)),
        ("null:north", "north", ()),
        ("null:lakes", "lakes", ("health",)),
    ]:
        services.subscriptions.subscribe(sid, region, topics, "en", now)
    record = services.alerts.create(METEO_AUTHOR, make_alert(services, regions=("coast", "lakes")))
    audience = _hooks(services, batch=1).audience(record.alert_id)
    assert audience is not None
    batches = list(audience)
    assert all(len(b) == 1 for b in batches)
    assert {s for b in batches for s in b} == {"null:all", "null:health", "null:lakes"}


def test_an_alert_that_is_not_live_has_no_audience(services: Services) -> None:
    services.subscriptions.subscribe("null:all", "coast", (), "en", services.now())
    pending = services.alerts.create(HEALTH_AUTHOR, make_alert(services))  # awaits a second approval
    hooks = _hooks(services)
    assert hooks.audience(pending.alert_id) is None and not hooks.is_live(pending.alert_id)
    assert hooks.audience("al_unknown") is None and not hooks.is_live("al_unknown")
    live = services.alerts.create(METEO_AUTHOR, make_alert(services))
    assert hooks.is_live(live.alert_id)
    services.alerts.cancel(METEO_AUTHOR, live.alert_id)
    assert not hooks.is_live(live.alert_id) and hooks.audience(live.alert_id) is None


def test_completed_marks_a_sending_alert_sent_and_ignores_the_others(services: Services) -> None:
    hooks = _hooks(services)
    sending = services.alerts.create(METEO_AUTHOR, make_alert(services))
    hooks.completed(sending.alert_id)
    assert services.repository.get(sending.alert_id).status is Status.SENT
    hooks.completed(sending.alert_id)  # another worker finished it too: nothing to do
    cancelled = services.alerts.create(METEO_AUTHOR, make_alert(services))
    services.alerts.cancel(METEO_AUTHOR, cancelled.alert_id)
    hooks.completed(cancelled.alert_id)
    hooks.completed("al_unknown")
    assert services.repository.get(cancelled.alert_id).status is Status.CANCELLED


def test_superseded_replaces_the_alert_by_its_update(services: Services) -> None:
    first = services.alerts.create(METEO_AUTHOR, make_alert(services))
    update = services.alerts.update(METEO_AUTHOR, first.alert_id, make_alert(services, headline="Worse"))
    _hooks(services).superseded(first.alert_id, update.alert_id)
    old = services.repository.get(first.alert_id)
    assert (old.status, old.superseded_by) == (Status.SUPERSEDED, update.alert_id)
