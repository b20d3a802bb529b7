"""The alert outbox on SQLite and the real PostgreSQL, with the real Redis: each change's effects
(the alert shown to citizens, its fan-out job) happen once, whatever dies between the database's
commit and Redis, and what citizens see is rebuilt from the records without ever showing a withdrawn
alert again.

The crashes are real: a process approving an alert SIGKILLs itself at the seam (right after the
commit, or right after Redis and before the outbox row is deleted), then a real delivery worker
(which relays the outbox in its housekeeping) finishes the work; the fan-out job is queued once and
every subscriber gets the alert once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy.engine import Engine

from bot import redis_keys
from bot.alerts.lifecycle import Status
from bot.alerts.outbox import AlertOutbox
from bot.auth.roles import Actor, Role
from bot.catalogue.bundle import LiveCatalogues
from bot.fanout.notices import Broadcast
from bot.language.identify import LanguageIdentifier
from bot.schema import every_table
from bot.services import Services
from bot.settings import PROJECT_ROOT, load_settings
from tests.bot.alerts.test_service import HEALTH_APPROVER, HEALTH_AUTHOR, METEO_AUTHOR, make_alert
from tests.conftest import TEST_REDIS_URL, with_session_parts

SUBSCRIBERS = 20

#: Approves an alert in a process of its own that SIGKILLs itself at the seam named by argv[1].
APPROVE_AND_DIE = """
import os, signal, sys
from bot.alerts.outbox import AlertOutbox
from bot.auth.roles import Actor, Role
from bot.services import shared

applied = AlertOutbox.apply

def die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

def apply_then_die(outbox, pending):
    applied(outbox, pending)  # Redis has the effects (and the mark)...
    die()  # ...the outbox row is never taken out

AlertOutbox.apply = die if sys.argv[1] == "after-commit" else apply_then_die
shared().alerts.approve(Actor("h-approver", "health", Role.APPROVER, person="MOH-2"), sys.argv[2])
"""


@pytest.fixture()
def both(
    redis_client: redis.Redis[bytes],
    database: Engine,
    identifier: LanguageIdentifier,
    live_catalogues: LiveCatalogues,
) -> Iterator[Services]:
    """The services over the test Redis and each database (emptied)."""
    url = database.url.render_as_string(hide_password=False)
    built = Services(load_settings({"REDIS_URL": TEST_REDIS_URL, "DATABASE_URL": url}))
    yield with_session_parts(built, identifier, live_catalogues)
    built.database.dispose()


@pytest.fixture()
def on_postgres(
    redis_client: redis.Redis[bytes],
    postgres_schema: str,
    identifier: LanguageIdentifier,
    live_catalogues: LiveCatalogues,
) -> Iterator[Services]:
    """The services over the test Redis and the real PostgreSQL (emptied): the processes' tests, which
    take half a minute each, run on the production database only."""
    built = Services(load_settings({"REDIS_URL": TEST_REDIS_URL, "DATABASE_URL": postgres_schema}))
    with built.database.begin() as connection:
        for table in reversed(every_table()):
            connection.execute(table.delete())
    yield with_session_parts(built, identifier, live_catalogues)
    built.database.dispose()


def _jobs(services: Services) -> list[tuple[str, str]]:
    entries = services.redis.xrange(redis_keys.fan_out_jobs())
    return [(f[b"a"].decode(), f[b"k"].decode()) for _, f in entries]


def _shown(services: Services) -> list[str]:
    return [a.alert_id for a in services.active_alerts.active_in_region("coast", services.now())]


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def test_effects_applied_before_a_crash_are_not_applied_again(
    both: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the seam, in process: Redis has the effects, the relay dies before taking the row out."""
    monkeypatch.setattr(both.alert_outbox, "relay", lambda *_a, **_k: 0)  # nobody relays at once
    record = both.alerts.create(METEO_AUTHOR, make_alert(both))
    [pending] = both.repository.pending_effects(limit=10)
    assert both.alert_outbox.apply(pending)  # ...and the process dies here
    assert _jobs(both) == [(record.alert_id, "alert")]
    monkeypatch.undo()
    assert both.alert_outbox.relay() == 1  # the next relay finds the mark: takes the row out only
    assert _jobs(both) == [(record.alert_id, "alert")]
    assert both.repository.pending_effects(limit=10) == []
    assert _shown(both) == [record.alert_id]


def test_relays_at_once_apply_each_change_once(both: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(both.alert_outbox, "relay", lambda *_a, **_k: 0)
    records = [both.alerts.create(METEO_AUTHOR, make_alert(both)) for _ in range(5)]
    monkeypatch.undo()
    start = threading.Barrier(4)

    def relay() -> None:
        start.wait()
        AlertOutbox(both.repository, redis.Redis.from_url(TEST_REDIS_URL)).relay()

    threads = [threading.Thread(target=relay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(_jobs(both)) == sorted((r.alert_id, "alert") for r in records)
    assert both.repository.pending_effects(limit=10) == []


def test_one_alerts_effects_go_in_the_order_they_were_written(
    both: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Approved then cancelled while Redis was out of reach: relayed later, it ends withdrawn."""
    monkeypatch.setattr(both.alert_outbox, "relay", lambda *_a, **_k: 0)
    record = both.alerts.create(HEALTH_AUTHOR, make_alert(both))
    both.alerts.approve(HEALTH_APPROVER, record.alert_id)
    both.alerts.cancel(HEALTH_AUTHOR, record.alert_id, note="wrong region")
    monkeypatch.undo()
    assert both.alert_outbox.relay() == 2
    assert _jobs(both) == [(record.alert_id, "alert"), (record.alert_id, "cancel")]
    assert _shown(both) == []
    assert both.active_alerts.get(record.alert_id) is None


def test_what_citizens_see_is_rebuilt_from_the_records(both: Services) -> None:
    live = both.alerts.create(METEO_AUTHOR, make_alert(both, headline="Floods"))
    cancelled = both.alerts.create(METEO_AUTHOR, make_alert(both, headline="Wind"))
    both.alerts.cancel(METEO_AUTHOR, cancelled.alert_id)
    draft = both.alerts.create(HEALTH_AUTHOR, make_alert(both), draft=True)
    assert both.alert_outbox.rebuild(both.now()) == 0  # every view is as recent as its record
    both.redis.flushdb()  # Redis lost its data
    assert both.alert_outbox.rebuild(both.now()) == 2  # the live one shown, the cancelled withdrawn
    assert _shown(both) == [live.alert_id]
    assert both.active_alerts.get(draft.alert_id) is None
    assert _jobs(both) == []  # a rebuild queues no fan-out: that was done when it went live


def test_a_rebuild_that_read_a_record_before_its_withdrawal_does_not_show_it_again(
    both: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = both.alerts.create(METEO_AUTHOR, make_alert(both))
    stale = list(both.repository.unexpired(both.now()))  # read while live...
    both.alerts.cancel(METEO_AUTHOR, record.alert_id)  # ...withdrawn by the relay meanwhile
    monkeypatch.setattr(both.repository, "unexpired", lambda now: iter(stale))
    assert both.alert_outbox.rebuild(both.now()) == 0
    assert _shown(both) == []


@pytest.mark.parametrize("seam", ["after-commit", "after-redis"])
def test_an_approver_process_killed_at_the_seam_the_worker_finishes_once(
    on_postgres: Services, seam: str, tmp_path: Path
) -> None:
    both = on_postgres
    both.subscriptions.subscribe_many(
        [f"null:citizen-{i}" for i in range(SUBSCRIBERS)], "coast", "en", both.now()
    )
    record = both.alerts.create(HEALTH_AUTHOR, make_alert(both))
    env = {**os.environ, "REDIS_URL": both.settings.redis_url, "DATABASE_URL": both.settings.database_url}
    approving = subprocess.run(
        [sys.executable, "-c", APPROVE_AND_DIE, seam, record.alert_id],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert approving.returncode == -signal.SIGKILL, approving.stderr.decode()[-2000:]
    assert both.repository.get(record.alert_id).status is Status.SENDING  # committed before the kill
    assert len(both.repository.pending_effects(limit=10)) == 1
    assert _jobs(both) == ([] if seam == "after-commit" else [(record.alert_id, "alert")])
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "bot.fanout", "--name", "outbox-test"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        broadcast = Broadcast.alert(record.alert_id)
        _wait(lambda: both.fan_out.progress(broadcast).complete, 60, "the broadcast")
        _wait(lambda: both.repository.get(record.alert_id).status is Status.SENT, 30, "status sent")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
    assert _jobs(both) == [(record.alert_id, "alert")]  # queued once
    assert both.repository.pending_effects(limit=10) == []
    assert both.redis.scard(redis_keys.delivered_effects("null")) == SUBSCRIBERS
    assert int(both.redis.get(redis_keys.delivery_attempts("null")) or 0) == SUBSCRIBERS  # none twice
    approvals = [
        e for e in both.repository.get(record.alert_id).lifecycle.history if e.move.value == "approve"
    ]
    assert [(e.actor, e.person) for e in approvals] == [("h-approver", "MOH-2")]


def _approve_together(services: Services, alert_id: str, approvers: tuple[Actor, ...]) -> list[str]:
    """Each approver presses "approve" at the same moment, in a thread of its own; what each was told."""
    start = threading.Barrier(len(approvers))
    outcomes: list[str] = []

    def approve(actor: Actor) -> None:
        start.wait()
        try:
            services.alerts.approve(actor, alert_id)
            outcomes.append("approved")
        except ValueError as error:
            outcomes.append(str(error))

    threads = [threading.Thread(target=approve, args=(actor,)) for actor in approvers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_a_second_approver_at_the_same_moment_is_refused(both: Services) -> None:
    """Two approvers of the health ministry press "approve" together: one wins, the other is told."""
    second = Actor("h-approver-2", "health", Role.APPROVER, person="MOH-3")
    for _ in range(5):
        record = both.alerts.create(HEALTH_AUTHOR, make_alert(both))
        outcomes = _approve_together(both, record.alert_id, (HEALTH_APPROVER, second))
        assert outcomes == ["approved", "cannot approve an alert that is sending; possible now: cancel"]
        history = both.repository.get(record.alert_id).lifecycle.history
        assert [e.move.value for e in history] == ["submit", "approve"]
    assert len(_jobs(both)) == 5
