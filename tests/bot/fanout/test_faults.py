"""Faults in the middle of a 10,000-delivery broadcast, with real worker processes.

The null channel records each delivery id it acts on (as the conversation does), and counts the
attempts; "exactly once" is every subscriber's delivery recorded once, none missing, none left queued.
"""

from __future__ import annotations

import json
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

from bot import redis_keys
from bot.alerts.lifecycle import Status
from bot.alerts.model import utc_now
from bot.fanout.notices import Broadcast, NoticeKind
from bot.runtime.embedded_redis import start_embedded_redis
from bot.services import Services
from bot.settings import PROJECT_ROOT, load_settings
from tests.bot.alerts.test_service import METEO_AUTHOR, make_alert
from tests.conftest import TEST_REDIS_URL

SUBSCRIBERS = 10_000
CONSENT = json.dumps({"topics": [], "consented_at": "2026-11-29T00:00:00+00:00", "consent_channel": "null"})
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


def _start_worker(services: Services, name: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "REDIS_URL": services.settings.redis_url,
        "DATABASE_URL": services.settings.database_url,
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
    url = TEST_REDIS_URL.rsplit("/", 1)[0] + "/11"  # the test Redis server, a database of its own
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
