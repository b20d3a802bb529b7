"""Fan-out and delivery against a real Redis: who gets what, once, and what happens on failure."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
import sqlalchemy.exc

from bot import redis_keys
from bot.alerts.lifecycle import Status
from bot.fanout.channels import DeliveryChannel, FailingChannel, NullChannel, Outcome, SkipReason
from bot.fanout.notices import Broadcast, NoticeKind
from bot.fanout.pacing import ChannelPacer, RetryPolicy
from bot.fanout.queue import Skipped
from bot.fanout.worker import DeliveryWorker, WorkerOptions
from bot.services import Services
from tests.bot.alerts.test_service import METEO_AUTHOR, make_alert


def _worker(
    services: Services, channel: Callable[[str], DeliveryChannel] | None = None, **options: object
) -> DeliveryWorker:
    null = NullChannel(services.redis)
    return DeliveryWorker(
        services.redis,
        services.broadcasts,
        channel or (lambda name: null),
        ChannelPacer(services.redis, services.delivery_policy),
        RetryPolicy(max_attempts=3, backoff_seconds=0.0),
        WorkerOptions(name="test-worker", block_ms=10, **options),  # type: ignore[arg-type]
        languages=services.subscriptions.languages,
    )


def _drain(worker: DeliveryWorker, rounds: int = 50) -> None:
    worker._queue.ensure_groups()
    idle = 0
    for _ in range(rounds):
        idle = idle + 1 if worker.step() == 0 else 0
        if idle >= 3:
            return


def _effects(services: Services) -> set[str]:
    return {m.decode() for m in services.redis.smembers(redis_keys.delivered_effects("null"))}


def test_each_subscriber_of_the_regions_and_topics_gets_the_alert_once(services: Services) -> None:
    now = services.now()
    subs = services.subscriptions
    subs.subscribe("null:both-regions", "coast", (), "en", now)
    subs.subscribe("null:both-regions", "lakes", (), "en", now)
    subs.subscribe("null:health-only", "coast", ("health",), "fr", now)
    subs.subscribe("null:weather-only", "coast", ("weather",), "sw", now)
    subs.subscribe("null:elsewhere", "north", (), "en", now)
    record = services.alerts.create(METEO_AUTHOR, make_alert(services, regions=("coast", "lakes")))
    _drain(_worker(services))
    assert _effects(services) == {
        f"{record.alert_id}:alert:null:both-regions",
        f"{record.alert_id}:alert:null:health-only",
    }
    progress = services.fan_out.progress(Broadcast.alert(record.alert_id))
    assert (progress.enqueued, progress.sent, progress.remaining, progress.complete) == (2, 2, 0, True)
    assert services.repository.get(record.alert_id).status is Status.SENT


def test_resolving_again_after_a_crash_enqueues_no_one_twice(services: Services) -> None:
    for i in range(30):
        services.subscriptions.subscribe(f"null:c{i}", "coast", (), "en", services.now())
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    from bot.alerts.broadcasting import AlertBroadcasts
    from bot.fanout.resolve import fan_out

    hooks = AlertBroadcasts(services.alerts, services.repository, services.subscriptions, batch=7)
    for added in (30, 0):
        audience = hooks.audience(record.alert_id)
        assert audience is not None
        assert fan_out(services.fan_out, Broadcast.alert(record.alert_id), audience) == added
    _drain(_worker(services))
    assert len(_effects(services)) == 30
    assert services.redis.xlen(redis_keys.deliveries()) == 30


def test_a_worker_killed_before_acknowledging_is_resumed_without_duplicates(services: Services) -> None:
    for i in range(50):
        services.subscriptions.subscribe(f"null:k{i}", "coast", (), "en", services.now())
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    first = _worker(services, batch=20)
    first._queue.ensure_groups()
    first.step()  # resolves the job
    # The first worker reads a batch and "dies" before delivering or acknowledging it.
    taken = first._read_deliveries(block=False)
    assert len(taken) == 20
    replacement = _worker(services, batch=20, claim_after=0.0)
    replacement.name = "another-worker"
    _drain(replacement)
    assert len(_effects(services)) == 50
    assert services.fan_out.progress(Broadcast.alert(record.alert_id)).sent == 50
    assert services.redis.xpending(redis_keys.deliveries(), "delivery")["pending"] == 0


def test_unsubscribed_before_delivery_and_withdrawn_alerts_are_skipped(services: Services) -> None:
    services.subscriptions.subscribe("null:stays", "coast", (), "en", services.now())
    services.subscriptions.subscribe("null:leaves", "coast", (), "en", services.now())
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    worker = _worker(services)
    worker._queue.ensure_groups()
    worker._jobs()
    services.subscriptions.unsubscribe("null:leaves")
    _drain(worker)
    assert _effects(services) == {f"{record.alert_id}:alert:null:stays"}
    progress = services.fan_out.progress(Broadcast.alert(record.alert_id))
    assert progress.skipped == 1
    assert progress.skipped_because == (Skipped("unsubscribed", "null", 1),)


def test_a_delivery_no_channel_can_make_is_skipped_with_its_reason_never_sent(services: Services) -> None:
    services.subscriptions.subscribe("null:reached", "coast", (), "en", services.now())
    services.subscriptions.subscribe("africastalking:+254700000001", "coast", (), "en", services.now())
    services.subscriptions.subscribe("rest:web-user", "coast", (), "en", services.now())
    null = NullChannel(services.redis)
    unconfigured = FailingChannel(Outcome.SKIPPED, SkipReason.NOT_CONFIGURED.value)
    cannot_push = FailingChannel(Outcome.SKIPPED, SkipReason.CANNOT_PUSH.value)
    channels = {"null": null, "africastalking": unconfigured, "rest": cannot_push}
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    _drain(_worker(services, channel=lambda name: channels[name]))
    progress = services.fan_out.progress(Broadcast.alert(record.alert_id))
    assert (progress.sent, progress.skipped, progress.failed, progress.complete) == (1, 2, 0, True)
    assert progress.to_json()["skipped_reasons"] == [
        {"reason": "cannot_push", "channel": "rest", "count": 1},
        {"reason": "not_configured", "channel": "africastalking", "count": 1},
    ]
    assert (
        services.fan_out.state(Broadcast.alert(record.alert_id), "africastalking:+254700000001") == "skipped"
    )
    assert services.redis.llen(redis_keys.dead_letters()) == 0  # nothing to retry: nothing failed


def test_cancellation_reaches_those_who_got_the_alert(services: Services) -> None:
    services.subscriptions.subscribe("null:a", "coast", (), "en", services.now())
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    worker = _worker(services)
    _drain(worker)
    services.subscriptions.subscribe("null:late", "coast", (), "en", services.now())
    services.alerts.cancel(METEO_AUTHOR, record.alert_id)
    _drain(worker)
    assert f"{record.alert_id}:cancel:null:a" in _effects(services)
    assert not any("late" in e for e in _effects(services))


def test_an_alert_in_flight_when_it_is_cancelled_is_followed_by_the_notice(services: Services) -> None:
    """The cancellation scans for those the alert reached while a delivery is still on its way: that
    citizen sees the alert, so they must also see that it was cancelled."""
    services.subscriptions.subscribe("null:early", "coast", (), "en", services.now())
    services.subscriptions.subscribe("null:inflight", "coast", (), "en", services.now())
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    null = NullChannel(services.redis)
    other = _worker(services)
    other.name = "cancelling-worker"

    class CancelledMeanwhile:
        def send(self, delivery):  # type: ignore[no-untyped-def]
            if delivery.kind is NoticeKind.ALERT and delivery.address == "inflight":
                # on its way to the citizen, not yet recorded as sent
                services.alerts.cancel(METEO_AUTHOR, record.alert_id)
                other._jobs()  # another worker runs the cancellation now
                assert services.fan_out.progress(Broadcast.cancellation(record.alert_id)).resolved
            return null.send(delivery)

    worker = _worker(services, channel=lambda name: CancelledMeanwhile(), batch=1)
    _drain(worker)
    _drain(other)
    effects = _effects(services)
    assert f"{record.alert_id}:alert:null:inflight" in effects
    assert f"{record.alert_id}:cancel:null:inflight" in effects
    early = {f"{record.alert_id}:alert:null:early", f"{record.alert_id}:cancel:null:early"}
    assert early <= effects or not early & effects  # both (sent before the cancellation) or neither
    cancel = services.fan_out.progress(Broadcast.cancellation(record.alert_id))
    assert (cancel.remaining, cancel.complete) == (0, True)
    assert int(services.redis.get(redis_keys.delivery_attempts("null")) or 0) == len(effects)  # none twice


def test_each_delivery_carries_the_language_of_the_subscription(services: Services) -> None:
    services.subscriptions.subscribe("null:fr", "coast", (), "fr", services.now())
    services.subscriptions.subscribe("null:sw", "coast", (), "sw", services.now())
    seen: dict[str, str] = {}
    null = NullChannel(services.redis)

    class Recording:
        def send(self, delivery):  # type: ignore[no-untyped-def]
            seen[delivery.address] = delivery.language
            return null.send(delivery)

    services.alerts.create(METEO_AUTHOR, make_alert(services))
    _drain(_worker(services, channel=lambda name: Recording()))
    assert seen == {"fr": "fr", "sw": "sw"}


def test_a_cancelled_alert_still_queued_is_skipped_and_needs_no_notice(services: Services) -> None:
    services.subscriptions.subscribe("null:waiting", "coast", (), "en", services.now())
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    worker = _worker(services)
    worker._queue.ensure_groups()
    worker._jobs()  # the delivery is queued, not yet sent
    services.alerts.cancel(METEO_AUTHOR, record.alert_id)
    _drain(worker)
    assert _effects(services) == set()
    assert services.fan_out.progress(Broadcast.alert(record.alert_id)).skipped == 1


@pytest.mark.parametrize("outcome", [Outcome.RETRY, Outcome.FAILED])
def test_a_failing_channel_retries_then_fails_and_nothing_stays_queued(
    services: Services, outcome: Outcome
) -> None:
    services.subscriptions.subscribe("broken:x", "coast", (), "en", services.now())
    calls: list[int] = []
    failing = FailingChannel(outcome, "provider said no")

    class Counting:
        def send(self, delivery):  # type: ignore[no-untyped-def]
            calls.append(delivery.attempt)
            return failing.send(delivery)

    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    _drain(_worker(services, channel=lambda name: Counting()))
    assert calls == ([1, 2, 3] if outcome is Outcome.RETRY else [1])
    progress = services.fan_out.progress(Broadcast.alert(record.alert_id))
    assert (progress.failed, progress.remaining) == (1, 0)
    assert services.fan_out.state(Broadcast.alert(record.alert_id), "broken:x") == "failed"
    dead = [json.loads(item) for item in services.redis.lrange(redis_keys.dead_letters(), 0, -1)]
    assert [(d["subscriber"], d["attempts"], d["reason"]) for d in dead] == [
        ("broken:x", len(calls), "provider said no")
    ]
    assert services.redis.zcard(redis_keys.delivery_retries()) == 0
    assert services.redis.xpending(redis_keys.deliveries(), "delivery")["pending"] == 0


def test_the_database_away_for_a_while_delays_deliveries_and_loses_none(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    """Subscriptions are read from the database: while it does not answer the worker waits (nothing
    acknowledged), and once it is back every subscriber gets the alert once."""
    for i in range(5):
        services.subscriptions.subscribe(f"null:patient-{i}", "coast", (), "en", services.now())
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    failures = [2]

    def languages(sids: list[str]) -> list[str | None]:
        if failures[0]:
            failures[0] -= 1
            raise sqlalchemy.exc.OperationalError(
                "SELECT", {}, ConnectionError("server closed the connection")
            )
        return services.subscriptions.languages(sids)

    worker = _worker(services, claim_after=0.05)
    worker._languages = languages
    broadcast = Broadcast.alert(record.alert_id)
    deadline = time.monotonic() + 30
    worker.run(until=lambda: services.fan_out.progress(broadcast).complete or time.monotonic() > deadline)
    assert failures == [0] and services.fan_out.progress(broadcast).sent == 5
    assert _effects(services) == {f"{record.alert_id}:alert:null:patient-{i}" for i in range(5)}
    assert "the database unavailable (OperationalError)" in caplog.text


class Batches:
    """A channel that takes whole batches (as bot/channels/direct.py does): what it was handed."""

    def __init__(self, outcome: Outcome = Outcome.SENT) -> None:
        self.batches: list[list[str]] = []
        self.outcome = outcome

    def send(self, notice: object) -> tuple[Outcome, str]:
        raise AssertionError("a batch channel gets its notices in one call")

    def send_many(self, notices: list[object]) -> list[tuple[Outcome, str]]:
        self.batches.append([n.address for n in notices])  # type: ignore[attr-defined]
        return [(self.outcome, "")] * len(notices)


def test_a_channel_that_takes_batches_gets_its_share_of_a_round_in_one_call(services: Services) -> None:
    now = services.now()
    for i in range(30):
        services.subscriptions.subscribe(f"telegram:telegram:{i}", "coast", (), "en", now)
    for i in range(5):
        services.subscriptions.subscribe(f"null:n{i}", "coast", (), "en", now)
    batches, null = Batches(), NullChannel(services.redis)
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    _drain(_worker(services, lambda name: null if name == "null" else batches, batch=100))
    assert len(batches.batches) == 1 and sorted(batches.batches[0]) == sorted(
        f"telegram:{i}" for i in range(30)
    )
    assert len(_effects(services)) == 5
    progress = services.fan_out.progress(Broadcast.alert(record.alert_id))
    assert (progress.sent, progress.complete) == (35, True)


def test_a_batch_that_raises_is_retried_whole(services: Services) -> None:
    class Broken(Batches):
        def send_many(self, notices: list[object]) -> list[tuple[Outcome, str]]:
            raise ConnectionError("Redis went away while claiming")

    services.subscriptions.subscribe("telegram:telegram:1", "coast", (), "en", services.now())
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    worker = _worker(services, lambda name: Broken())
    worker._queue.ensure_groups()
    worker.step()
    worker.step()
    progress = services.fan_out.progress(Broadcast.alert(record.alert_id))
    assert (progress.sent, progress.failed, progress.remaining) == (0, 0, 1)
    assert services.redis.zcard(redis_keys.delivery_retries()) == 1
