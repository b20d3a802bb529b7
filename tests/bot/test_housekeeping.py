"""The periodic work: each task once per period, a failing one logged without stopping the others."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot import redis_keys
from bot.housekeeping import Schedule, Task, schedule
from bot.services import Services
from tests.bot.alerts.test_service import METEO_AUTHOR, make_alert


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_each_task_runs_at_once_then_once_per_period() -> None:
    clock = FakeClock()
    runs: list[str] = []
    tasks = Schedule(
        [
            Task("often", 1.0, lambda: runs.append("often")),
            Task("rarely", 30.0, lambda: runs.append("rarely")),
        ],
        clock=clock,
    )
    assert tasks.run_due() == ["often", "rarely"]  # never run: due at once
    clock.now += 0.5
    assert tasks.run_due() == []
    clock.now += 0.5
    assert tasks.run_due() == ["often"]
    clock.now += 29.0
    assert tasks.run_due() == ["often", "rarely"]
    assert runs == ["often", "rarely", "often", "often", "rarely"]


def test_a_failing_task_is_logged_and_the_others_still_run(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    runs: list[str] = []

    def broken() -> None:
        raise RuntimeError("database away")

    tasks = Schedule(
        [Task("broken", 1.0, broken), Task("fine", 1.0, lambda: runs.append("fine"))], clock=clock
    )
    with caplog.at_level(logging.ERROR, logger="bot.housekeeping"):
        assert tasks.run_due() == ["broken", "fine"]
    assert runs == ["fine"]
    assert "housekeeping task broken failed" in caplog.text and "database away" in caplog.text
    assert tasks.run_due() == []  # tried again at its next turn, not at once
    clock.now += 1.0
    assert tasks.run_due() == ["broken", "fine"]


class FakeConcerns:
    def __init__(self) -> None:
        self.calls: list[object] = []

    def relay_notices(self) -> int:
        self.calls.append("relay")
        return 0

    def purge_expired_texts(self, days: int) -> int:
        self.calls.append(("purge", days))
        return 0


def test_every_features_periodic_work_is_scheduled(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    concerns = FakeConcerns()
    monkeypatch.setattr(services, "concerns", concerns)
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    services.redis.set(redis_keys.rasa_tracker("socketio:gone"), "{}")
    services.redis.zadd(redis_keys.conversations_to_forget(), {"socketio:gone": 0})
    services.redis.set(redis_keys.rasa_tracker("socketio:idle"), "{}")
    later = record.alert.expires + timedelta(seconds=1)
    monkeypatch.setattr(services, "_clock", lambda: later)
    assert len(schedule(services).run_due()) == 5
    assert services.repository.get(record.alert_id).status.value == "expired"
    assert not services.redis.exists(redis_keys.rasa_tracker("socketio:gone"))
    assert services.redis.ttl(redis_keys.rasa_tracker("socketio:idle")) > 0
    assert concerns.calls == ["relay", ("purge", services.settings.concern_retention_days)]


def test_an_alert_whose_consequences_could_not_reach_redis_goes_out_at_the_next_round(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redis unreachable right after the approval: the change is committed, its effects wait in the
    outbox, and housekeeping relays them (the alert shown, its fan-out job queued) once."""

    def unreachable(_: object) -> bool:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(services.alert_outbox, "apply", unreachable)
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    assert services.repository.get(record.alert_id).status.value == "sending"
    assert services.redis.xlen(redis_keys.fan_out_jobs()) == 0
    monkeypatch.undo()
    schedule(services).run_due()
    schedule(services).run_due()
    assert services.redis.xlen(redis_keys.fan_out_jobs()) == 1
    shown = services.active_alerts.active_in_region("coast", services.now())
    assert [a.alert_id for a in shown] == [record.alert_id]


def test_a_task_that_keeps_failing_is_logged_once_and_its_recovery_too(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    store_down = [True]

    def relay() -> None:
        if store_down[0]:
            raise ConnectionError("redis away")

    tasks = Schedule([Task("relay", 1.0, relay)], clock=clock)
    with caplog.at_level(logging.INFO, logger="bot.housekeeping"):
        for _ in range(5):
            tasks.run_due()
            clock.now += 1.0
        store_down[0] = False
        tasks.run_due()
        clock.now += 1.0
        tasks.run_due()
    failures = [r for r in caplog.records if "failed" in r.getMessage()]
    recoveries = [r for r in caplog.records if "works again" in r.getMessage()]
    assert len(failures) == 1 and len(recoveries) == 1


def test_retention_drops_handoff_records_older_than_conversations_are_kept(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.handoff.model import EndReason, Trigger
    from bot.handoff.service import Agent
    from bot.housekeeping import retention

    monkeypatch.setattr(services, "concerns", FakeConcerns())
    kept = timedelta(days=services.settings.conversation_retention_days)
    now = services.now()
    hana = Agent("hana", frozenset({"health_line"}))
    asked = {}
    for name, age in (("old", kept + timedelta(days=1)), ("recent", kept - timedelta(days=1))):
        monkeypatch.setattr(services, "_clock", lambda age=age: now - age)
        ticket = services.handoffs.ask(f"sms:{name}", "twilio", "sw", Trigger.ASKED, topic="health")
        services.handoffs.claim(hana, ticket.handoff.handoff_id)
        services.handoffs.end(hana, ticket.handoff.handoff_id, EndReason.RESOLVED)
        asked[name] = ticket.handoff.handoff_id
    monkeypatch.setattr(services, "_clock", lambda: now)
    retention(services)
    remaining = services.handoffs.asked_since(now - 2 * kept)
    assert [h.handoff_id for h in remaining] == [asked["recent"]]
    assert not services.redis.exists(redis_keys.handoff(asked["old"]))
