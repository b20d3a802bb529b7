"""Alert records in PostgreSQL through real processes: two web apps (as behind the load balancer), a
delivery worker, a Redis of this module's own and the real PostgreSQL (TEST_DATABASE_URL).

- Two approvers press "approve" at the same moment, each on another web app: one wins, the other is
  told the alert is already sending, the history says who approved and when, and the alert goes out
  once.
- Redis is down at the moment of approval: the approval is committed, nothing is shown or sent yet;
  once Redis is back the worker's housekeeping relays the outbox, and every subscriber gets the alert
  once.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
import yaml

from bot import redis_keys
from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.fanout.notices import Broadcast
from bot.runtime.embedded_redis import start_embedded_redis
from bot.schema import every_table
from bot.services import Services
from bot.settings import PROJECT_ROOT, load_settings
from tests.bot.api.conftest import LOOSE_LIMITS, Api, serve_web_app
from tests.e2e.conftest import PORT_BASE

#: Ports of this module's web apps, clear of the shared test stack's (E2E_PORT_BASE .. +3).
WEB_PORTS = (PORT_BASE + 60, PORT_BASE + 61)
SUBSCRIBERS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except redis.ConnectionError:
            pass
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


@dataclass
class Records:
    """This module's processes and the services a test reads them through."""

    apps: tuple[Api, Api]
    services: Services
    redis_dir: Path
    redis_port: int
    redis_process: Any
    keys: dict[str, str]

    def stop_redis(self) -> None:
        self.redis_process.kill()
        self.redis_process.wait(timeout=10)

    def start_redis(self) -> None:
        self.redis_process = start_embedded_redis(self.redis_dir, self.redis_port)


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory, postgres_schema: str) -> Iterator[Records]:
    root = tmp_path_factory.mktemp("alert-records")
    port = _free_port()
    redis_process = start_embedded_redis(root / "redis", port)
    redis_url = f"redis://127.0.0.1:{port}/0"
    services = Services(load_settings({"REDIS_URL": redis_url, "DATABASE_URL": postgres_schema}))
    with services.database.begin() as connection:
        for table in reversed(every_table()):
            connection.execute(table.delete())
    limits = yaml.safe_load((PROJECT_ROOT / "config" / "limits.yml").read_text(encoding="utf-8"))
    (root / "limits.yml").write_text(yaml.safe_dump({**limits, **LOOSE_LIMITS}), encoding="utf-8")
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DATABASE_URL": postgres_schema,
        "BARAZA_LIMITS_FILE": str(root / "limits.yml"),
        "BARAZA_WEB_HOST": "127.0.0.1",
    }
    keys = {
        name: services.api_keys.create("health", role, name, utc_now(), person=person)[0]
        for name, role, person in (
            ("author", Role.AUTHOR, "MOH-1"),
            ("approver", Role.APPROVER, "MOH-2"),
            ("approver2", Role.APPROVER, "MOH-3"),
        )
    }
    services.subscriptions.subscribe_many(
        [f"null:records-{i}" for i in range(SUBSCRIBERS)], "coast", "en", utc_now()
    )
    apps = []
    for web in WEB_PORTS:
        (root / f"web-{web}").mkdir()
        apps.append(serve_web_app({**env, "BARAZA_WEB_PORT": str(web)}, root / f"web-{web}"))
    served = (next(apps[0]), next(apps[1]))
    log = (root / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "bot.fanout", "--name", "records-worker"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    running = Records(served, services, root / "redis", port, redis_process, keys)
    yield running
    worker.terminate()
    worker.wait(timeout=30)
    log.close()
    for app in apps:
        next(app, None)
    running.redis_process.terminate()
    running.redis_process.wait(timeout=10)
    services.database.dispose()


def _create(records: Records, headline: str) -> str:
    body = {
        "severity": "Severe",
        "category": "Health",
        "regions": ["coast"],
        "expires_in_hours": 6,
        "texts": {"en": {"headline": headline, "description": "Cases rising.", "instruction": "Boil water."}},
    }
    created = records.apps[0].call("POST", "/api/v1/alerts", records.keys["author"], body)
    assert created.status == 201 and created.json()["status"] == "pending_approval", created.body
    return str(created.json()["id"])


def _jobs(records: Records, alert_id: str) -> list[str]:
    entries = records.services.redis.xrange(redis_keys.fan_out_jobs())
    return [f[b"k"].decode() for _, f in entries if f[b"a"].decode() == alert_id]


def _delivered_once(records: Records, alert_id: str) -> None:
    """Every subscriber got the alert once, and its record says it was sent."""
    fan_out = records.services.fan_out
    _wait(lambda: fan_out.progress(Broadcast.alert(alert_id)).complete, 60, "the broadcast")
    progress = fan_out.progress(Broadcast.alert(alert_id))
    assert (progress.enqueued, progress.sent, progress.failed) == (SUBSCRIBERS, SUBSCRIBERS, 0)
    read = records.apps[1].call("GET", f"/api/v1/alerts/{alert_id}", records.keys["author"])
    _wait(
        lambda: (
            records.apps[1].call("GET", f"/api/v1/alerts/{alert_id}", records.keys["author"]).json()["status"]
            == "sent"
        ),
        30,
        "status sent",
    )
    assert read.status == 200
    assert _jobs(records, alert_id) == ["alert"]  # the fan-out job was queued once


def _approve_together(records: Records, alert_id: str) -> dict[str, Any]:
    """Both approvers press "approve" at the same moment, each on a web app of its own."""
    start = threading.Barrier(2)
    replies: dict[str, Any] = {}

    def approve(name: str, app: Api) -> None:
        start.wait()
        replies[name] = app.call("POST", f"/api/v1/alerts/{alert_id}/approve", records.keys[name])

    threads = [
        threading.Thread(target=approve, args=(name, app))
        for name, app in zip(("approver", "approver2"), records.apps, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


def test_two_approvers_at_once_on_two_web_apps_one_wins_and_the_history_says_who(records: Records) -> None:
    before = int(records.services.redis.get(redis_keys.delivery_attempts("null")) or 0)
    for round_ in range(3):
        alert_id = _create(records, f"Cholera, round {round_}")
        replies = _approve_together(records, alert_id)
        statuses = sorted(reply.status for reply in replies.values())
        assert statuses == [200, 409], {n: r.body for n, r in replies.items()}
        winner = next(name for name, reply in replies.items() if reply.status == 200)
        loser = next(reply for reply in replies.values() if reply.status == 409)
        assert "cannot approve an alert that is sending" in loser.json()["error"]
        # The history, read on the other web app: who submitted, who approved, when, nobody twice.
        read = records.apps[1].call("GET", f"/api/v1/alerts/{alert_id}", records.keys["author"]).json()
        history = [(h["move"], h["person"], h["from"], h["to"]) for h in read["history"][:2]]
        winner_person = {"approver": "MOH-2", "approver2": "MOH-3"}[winner]
        assert history == [
            ("submit", "MOH-1", "draft", "pending_approval"),
            ("approve", winner_person, "pending_approval", "sending"),
        ]
        assert read["approved_by_person"] == winner_person
        assert all(h["at"] for h in read["history"])
        _delivered_once(records, alert_id)
    attempts = int(records.services.redis.get(redis_keys.delivery_attempts("null")) or 0)
    assert attempts - before == 3 * SUBSCRIBERS  # nobody got any of the three twice


def test_an_approval_while_redis_is_down_goes_out_once_redis_is_back(records: Records) -> None:
    alert_id = _create(records, "Floods on the coast")
    records.stop_redis()
    try:
        approved = records.apps[1].call(
            "POST", f"/api/v1/alerts/{alert_id}/approve", records.keys["approver"]
        )
        assert approved.status == 200 and approved.json()["status"] == "sending", approved.body
        # Committed in PostgreSQL, waiting in the outbox: the record says so on either web app.
        read = records.apps[0].call("GET", f"/api/v1/alerts/{alert_id}", records.keys["author"])
        assert read.json()["status"] == "sending"
        assert [p.alert.alert_id for p in records.services.repository.pending_effects(limit=10)] == [alert_id]
        time.sleep(2)  # the worker's housekeeping tries the relay meanwhile, and fails
    finally:
        records.start_redis()
    _delivered_once(records, alert_id)
    assert records.services.repository.pending_effects(limit=10) == []
    shown = records.services.active_alerts.active_in_region("coast", utc_now() + timedelta(seconds=1))
    assert alert_id in [a.alert_id for a in shown]
