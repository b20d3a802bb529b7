"""Faults in the middle of a 10,000-delivery broadcast, with real worker processes.

The null channel records each delivery id it acts on (as the conversation does), and counts the
attempts; "exactly once" is every subscriber's delivery recorded once, none missing, none left queued.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import redis
import yaml

from bot import redis_keys
from bot.alerts.lifecycle import Status
from bot.alerts.model import utc_now
from bot.fanout.notices import Broadcast, NoticeKind
from bot.runtime.embedded_redis import start_embedded_redis
from bot.services import Services
from bot.settings import PROJECT_ROOT, load_settings
from tests.bot.alerts.test_service import METEO_AUTHOR, make_alert
from tests.conftest import TEST_REDIS_URL
from tests.e2e.conftest import ProviderStandIn

#: Database 11 of the tests' Redis server (TEST_REDIS_URL's host and port).
FAULTS_REDIS_URL = TEST_REDIS_URL.rsplit("/", 1)[0] + "/11"
SUBSCRIBERS = 10_000
BATCH = 100


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _subscribe_many(services: Services, count: int) -> None:
    """Subscribers as the chat stores them, written in bulk (setup, not under test)."""
    services.subscriptions.subscribe_many(
        [f"null:citizen-{i}" for i in range(count)], "coast", "en", utc_now()
    )
    assert services.subscriptions.get("null:citizen-0") is not None


def _start_worker(
    services: Services, name: str, log: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "REDIS_URL": services.settings.redis_url,
        "DATABASE_URL": services.settings.database_url,
        **(env or {}),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.fanout", "--name", name, "--batch", str(BATCH), "--claim-after", "1"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def _wait(condition, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except redis.ConnectionError:
            pass
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _assert_exactly_once(services: Services, alert_id: str) -> None:
    client = services.redis
    assert client.scard(redis_keys.delivered_effects("null")) == SUBSCRIBERS
    progress = services.fan_out.progress(Broadcast.alert(alert_id))
    assert (progress.enqueued, progress.sent, progress.failed, progress.remaining) == (
        SUBSCRIBERS,
        SUBSCRIBERS,
        0,
        0,
    )
    states = {
        v for _, v in client.hscan_iter(redis_keys.recipients(alert_id, NoticeKind.ALERT.value), count=2000)
    }
    assert states == {b"sent"}
    assert client.xpending(redis_keys.deliveries(), "delivery")["pending"] == 0
    assert services.repository.get(alert_id).status is Status.SENT
    attempts = int(client.get(redis_keys.delivery_attempts("null")) or 0)
    # At-least-once underneath: at most the batch in flight at the kill is attempted again.
    assert SUBSCRIBERS <= attempts <= SUBSCRIBERS + BATCH


@pytest.fixture()
def fault_services(sqlite_url: str) -> Iterator[Services]:
    url = FAULTS_REDIS_URL  # the test Redis server, a database of its own
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield Services(replace(load_settings({}), redis_url=url, database_url=sqlite_url))
    client.flushdb()


def test_worker_killed_mid_broadcast_and_restarted_delivers_each_once(
    fault_services: Services, tmp_path: Path
) -> None:
    services = fault_services
    _subscribe_many(services, SUBSCRIBERS)
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    worker = _start_worker(services, "w1", tmp_path / "worker.log")
    _wait(
        lambda: services.fan_out.progress(Broadcast.alert(record.alert_id)).sent >= 2000,
        60,
        "2,000 deliveries",
    )
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert services.fan_out.progress(Broadcast.alert(record.alert_id)).sent < SUBSCRIBERS, (
        "finished before the kill"
    )
    restarted = _start_worker(services, "w1", tmp_path / "worker.log")
    try:
        _wait(
            lambda: services.fan_out.progress(Broadcast.alert(record.alert_id)).complete,
            120,
            "the broadcast to complete",
        )
        _wait(lambda: services.repository.get(record.alert_id).status is Status.SENT, 10, "status sent")
    finally:
        restarted.terminate()
        restarted.wait(timeout=20)
    _assert_exactly_once(services, record.alert_id)


def test_redis_restarted_mid_broadcast_with_persistence_loses_and_repeats_nothing(
    tmp_path: Path, sqlite_url: str
) -> None:
    port = _free_port()
    data = tmp_path / "redis"
    server = start_embedded_redis(data, port)
    url = f"redis://127.0.0.1:{port}/0"
    services = Services(replace(load_settings({}), redis_url=url, database_url=sqlite_url))
    worker = None
    try:
        _subscribe_many(services, SUBSCRIBERS)
        record = services.alerts.create(METEO_AUTHOR, make_alert(services))
        worker = _start_worker(services, "w1", tmp_path / "worker.log")
        _wait(
            lambda: services.fan_out.progress(Broadcast.alert(record.alert_id)).sent >= 2000,
            60,
            "2,000 deliveries",
        )
        server.send_signal(signal.SIGTERM)  # a restart: Redis writes its append-only file and stops
        server.wait(timeout=30)
        time.sleep(1.0)  # the worker meets a Redis that is down
        server = start_embedded_redis(data, port)
        _wait(
            lambda: services.fan_out.progress(Broadcast.alert(record.alert_id)).complete,
            120,
            "the broadcast to complete",
        )
        _wait(lambda: services.repository.get(record.alert_id).status is Status.SENT, 10, "status sent")
        _assert_exactly_once(services, record.alert_id)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=20)
        server.terminate()
        server.wait(timeout=20)


# Straight through the channel (bot/channels/direct.py): Telegram's Bot API played by the stand-in ----

TELEGRAM_CITIZENS = 3_000


def _telegram_citizens(services: Services, count: int) -> None:
    """Telegram subscribers of the coast, written in bulk (setup, not under test)."""
    services.subscriptions.subscribe_many(
        [f"telegram:telegram:{i}" for i in range(count)], "coast", "en", utc_now()
    )


def _telegram_env(stand_in: ProviderStandIn, tmp_path: Path, per_second: float, burst: int) -> dict[str, str]:
    """A worker's environment: Telegram configured (the stand-in), and Telegram's rate limit."""
    delivery = yaml.safe_load((PROJECT_ROOT / "config" / "delivery.yml").read_text(encoding="utf-8"))
    delivery["rate_limits"]["telegram"] = {"per_second": per_second, "burst": burst}
    (tmp_path / "delivery.yml").write_text(yaml.safe_dump(delivery), encoding="utf-8")
    return {
        "TELEGRAM_TOKEN": "123:faults",
        "TELEGRAM_SECRET_TOKEN": "faults-secret",
        "TELEGRAM_API_URL": stand_in.url,
        "BARAZA_DELIVERY_FILE": str(tmp_path / "delivery.yml"),
    }


def _chats(stand_in: ProviderStandIn) -> list[str]:
    return [str(call["chat_id"]) for call in stand_in.calls_to("/sendMessage")]


@pytest.fixture()
def telegram_api() -> Iterator[ProviderStandIn]:
    stand_in = ProviderStandIn()
    yield stand_in
    stand_in.shutdown()


def test_direct_worker_killed_mid_broadcast_sends_nobody_the_alert_twice(
    fault_services: Services, telegram_api: ProviderStandIn, tmp_path: Path
) -> None:
    """Each delivery is claimed in its conversation before it is sent: a restarted worker replays
    the batch it had taken and sends none of it again. What the killed worker had claimed and not
    yet sent (its batch in flight) is recorded and not sent: a turn of Rasa, whose messages go out
    after its conversation is saved, has the same window."""
    services = fault_services
    _telegram_citizens(services, TELEGRAM_CITIZENS)
    env = _telegram_env(telegram_api, tmp_path, 1_000_000, 1_000_000)
    worker = _start_worker(services, "w1", tmp_path / "worker.log", env)
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    broadcast = Broadcast.alert(record.alert_id)
    _wait(lambda: services.fan_out.progress(broadcast).sent >= 1000, 120, "1,000 deliveries")
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert services.fan_out.progress(broadcast).sent < TELEGRAM_CITIZENS, "finished before the kill"
    restarted = _start_worker(services, "w1", tmp_path / "worker.log", env)
    try:
        _wait(lambda: services.fan_out.progress(broadcast).complete, 180, "the broadcast to complete")
    finally:
        restarted.terminate()
        restarted.wait(timeout=20)
    progress = services.fan_out.progress(broadcast)
    assert (progress.sent, progress.failed, progress.remaining) == (TELEGRAM_CITIZENS, 0, 0)
    chats = _chats(telegram_api)
    assert len(chats) == len(set(chats)), "a citizen got the alert twice"
    assert len(chats) >= TELEGRAM_CITIZENS - BATCH  # at most the batch in flight at the kill is unsent
    pipe = services.redis.pipeline(transaction=False)
    for i in range(TELEGRAM_CITIZENS):  # every conversation knows what it was pushed
        pipe.hexists(
            redis_keys.pushed_notices(f"telegram:{i}"), f"{record.alert_id}:alert:telegram:telegram:{i}"
        )
    assert all(pipe.execute())


def test_two_direct_workers_together_keep_to_the_channels_rate_limit(
    fault_services: Services, telegram_api: ProviderStandIn, tmp_path: Path
) -> None:
    services = fault_services
    count, per_second, burst = 240, 40, 10
    _telegram_citizens(services, count)
    env = _telegram_env(telegram_api, tmp_path, per_second, burst)
    workers = [_start_worker(services, f"w{i}", tmp_path / f"worker{i}.log", {**env}) for i in (1, 2)]
    try:
        time.sleep(15)  # both started and waiting (their start is not what is measured)
        record = services.alerts.create(METEO_AUTHOR, make_alert(services))
        _wait(
            lambda: services.fan_out.progress(Broadcast.alert(record.alert_id)).complete,
            120,
            "the broadcast to complete",
        )
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=20)
    assert sorted(_chats(telegram_api), key=int) == [str(i) for i in range(count)]
    arrivals = telegram_api.arrivals
    # No window holds more than the rate and the burst allow, give or take half a second of this
    # loaded machine's scheduling between a worker's token and the message's arrival (sending each
    # batch at once when all its tokens were taken put 100 into the first second).
    for seconds in (1.0, 3.0):
        most = max(sum(1 for t in arrivals[i:] if t - start < seconds) for i, start in enumerate(arrivals))
        assert most <= (seconds + 0.5) * per_second + burst, (seconds, most)
    assert arrivals[-1] - arrivals[0] >= (count - burst) / per_second - 0.5
    pending = services.redis.xinfo_consumers(redis_keys.deliveries(), "delivery")
    assert len(pending) == 2 and all(c["pending"] == 0 for c in pending)  # both in the group, none left
