"""Concern operations through the service: who may read and change what, and the citizen always told.

The notice of a status change is written in the change's transaction (an outbox) and relayed to the
delivery queue. A real Redis server is stopped right after the commit: the change stands, the notice
waits, and once Redis is back the citizen is told, once, however many times the outbox is relayed.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot import redis_keys
from bot.auth.roles import Actor, Role
from bot.concerns.model import ConcernFilter, ConcernStatus, NewConcern
from bot.concerns.service import ConcernForbidden
from bot.fanout.channels import NullChannel
from bot.fanout.pacing import ChannelPacer, RetryPolicy
from bot.fanout.worker import DeliveryWorker, WorkerOptions
from bot.housekeeping import schedule
from bot.runtime.embedded_redis import start_embedded_redis
from bot.services import Services
from bot.settings import load_settings

HEALTH_AUTHOR = Actor("k-health", "health", Role.AUTHOR)
HEALTH_ANALYST = Actor("k-analyst", "health", Role.ANALYST)
WATER_AUTHOR = Actor("k-water", "water", Role.AUTHOR)
REPORT = NewConcern(
    "health", "No nurse at the clinic in Ziwani.", "lakes", "", "en", "null", "null:amina", True
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def redis_server(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A Redis server of the test's own, which the test may stop and start again."""
    data, port = tmp_path / "redis", _free_port()
    server = start_embedded_redis(data, port)
    yield data, port
    server.terminate()
    server.wait(timeout=20)


def _services(engine: Engine, port: int) -> Services:
    services = Services(replace(load_settings({}), redis_url=f"redis://127.0.0.1:{port}/0"))
    services.__dict__["database"] = engine  # the database under test (SQLite or PostgreSQL)
    return services


def _deliver(services: Services) -> set[str]:
    """Run a worker until idle; the effects the null channel recorded."""
    null = NullChannel(services.redis)
    worker = DeliveryWorker(
        services.redis,
        services.broadcasts,
        lambda name: null,
        ChannelPacer(services.redis, services.delivery_policy),
        RetryPolicy(max_attempts=3, backoff_seconds=0.0),
        WorkerOptions(name="test-worker", block_ms=10),
        between_rounds=schedule(services).run_due,
        languages=services.subscriptions.languages,
    )
    worker._queue.ensure_groups()
    for _ in range(5):
        worker.step()
    return {m.decode() for m in services.redis.smembers(redis_keys.delivered_effects("null"))}


def test_redis_down_right_after_the_commit_still_tells_the_citizen_once(
    engine: Engine, tmp_path: Path
) -> None:
    data, port = tmp_path / "redis", _free_port()
    server = start_embedded_redis(data, port)
    services = _services(engine, port)
    concern = services.concerns.file(REPORT)
    server.terminate()  # the queue goes away; the database stays
    server.wait(timeout=20)

    changed = services.concerns.change_status(
        HEALTH_AUTHOR, concern.ticket, ConcernStatus.IN_PROGRESS, note="A nurse is on her way."
    )
    assert changed.status is ConcernStatus.IN_PROGRESS
    assert services.concerns.store.get(concern.ticket).status is ConcernStatus.IN_PROGRESS
    assert len(services.concerns.store.pending_notices()) == 1  # waiting, not lost

    server = start_embedded_redis(data, port)
    try:
        services.concerns.relay_notices()  # relayed by two processes at once: still one notice
        effects = _deliver(services)
        assert len(effects) == 1
        assert next(iter(effects)).endswith(":concern:null:amina")
        assert services.concerns.store.pending_notices() == []
        services.concerns.change_status(HEALTH_AUTHOR, concern.ticket, ConcernStatus.RESOLVED, note="Done.")
        assert len(_deliver(services)) == 2  # the next change is its own notice
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_delete_my_data_drops_notices_not_yet_relayed(engine: Engine, redis_server: tuple[Path, int]) -> None:
    services = _services(engine, redis_server[1])
    concern = services.concerns.file(REPORT)
    services.concerns.store.change_status(
        concern.ticket, ConcernStatus.IN_PROGRESS, actor="k", note="", now=services.now()
    )
    services.concerns.forget("null:amina")
    assert services.concerns.store.pending_notices() == []


def test_ministries_read_and_answer_only_their_own(engine: Engine, redis_server: tuple[Path, int]) -> None:
    services = _services(engine, redis_server[1])
    concern = services.concerns.file(REPORT)
    with pytest.raises(ConcernForbidden):
        services.concerns.read(WATER_AUTHOR, concern.ticket)
    with pytest.raises(ConcernForbidden):
        services.concerns.find(WATER_AUTHOR, ConcernFilter(ministry="health"), limit=10)
    assert services.concerns.find(WATER_AUTHOR, ConcernFilter(), limit=10) == ([], 0)
    with pytest.raises(ConcernForbidden):
        services.concerns.change_status(HEALTH_ANALYST, concern.ticket, ConcernStatus.CLOSED, note="")
    with pytest.raises(ConcernForbidden):
        services.concerns.change_status(WATER_AUTHOR, concern.ticket, ConcernStatus.CLOSED, note="")
    assert services.concerns.store.pending_notices() == []  # refused changes leave no notice
    own, _ = services.concerns.read(HEALTH_AUTHOR, concern.ticket)
    assert services.concerns.reads_original(HEALTH_AUTHOR, own)
    assert not services.concerns.reads_original(HEALTH_ANALYST, own)
