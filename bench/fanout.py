"""Alert fan-out: resolving and enqueuing subscribers, and delivering them.

Usage: ``python -m bench.fanout [--redis-url URL] [--database-url URL] [--rasa]``. Prints:

1. resolve + enqueue of 10,000 and 100,000 subscribers: rate, and the Python heap's peak
   (tracemalloc) while doing it, which must stay flat (subscribers are streamed, never loaded whole);
2. one worker process delivering to the null channel (deliveries/s), and two in parallel;
3. with ``--rasa``: the real stack, one worker delivering through Rasa's ``trigger_intent`` to
   REST-channel conversations (deliveries/s, end to end through the action server).

Subscriptions are records in the database (``--database-url``: PostgreSQL as in production, or by
default a fresh SQLite file in ``.data/bench/``); the fan-out reads them a page at a time and the
deliveries go through Redis. Each run empties the Redis database and the subscription tables.

Targets (issue 3): enqueue >= 20,000/s; a worker >= 2,000/s to the null channel; heap growth under
50 MB from 10,000 to 100,000 subscribers.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import time
import tracemalloc
import uuid
from dataclasses import replace
from datetime import timedelta

import redis
from sqlalchemy import text

from bot import redis_keys
from bot.alerts.broadcasting import BATCH
from bot.alerts.model import Alert, AlertText
from bot.alerts.service import new_alert_id
from bot.auth.roles import Actor, Role
from bot.concerns.database import upgrade
from bot.fanout.notices import Broadcast
from bot.fanout.resolve import fan_out
from bot.services import Services
from bot.settings import PROJECT_ROOT, load_settings
from bot.subscriptions.tables import subscribers, subscription_topics, subscriptions

AUTHOR = Actor("bench", "meteo", Role.AUTHOR)  # a ministry without second approval: sent on submit


def _services(redis_url: str, database_url: str) -> Services:
    return Services(replace(load_settings({}), redis_url=redis_url, database_url=database_url))


def _empty(services: Services) -> None:
    """A clean slate: the Redis database flushed, no subscriptions (the schema migrated first)."""
    services.redis.flushdb()
    with services.database.begin() as connection:
        if connection.dialect.name == "postgresql":  # at once, rather than row by row
            connection.execute(text("TRUNCATE subscription_topics, subscriptions, subscribers"))
        else:
            for table in (subscription_topics, subscriptions, subscribers):
                connection.execute(table.delete())


def subscribe(services: Services, count: int, channel: str = "null", region: str = "coast") -> None:
    """Bulk setup: ``count`` subscribers of ``region`` (every topic)."""
    now = services.now()
    for start in range(0, count, 5000):
        sids = [
            f"{channel}:rest:bench-{i}" if channel == "rest" else f"{channel}:bench-{i}"  # scoped ids
            for i in range(start, min(count, start + 5000))
        ]
        services.subscriptions.subscribe_many(sids, region, "en", now)


def _alert(services: Services) -> Alert:
    now = services.now()
    return Alert(
        alert_id=new_alert_id(),
        severity="Severe",
        regions=("coast",),
        effective=now,
        expires=now + timedelta(hours=2),
        texts={"en": AlertText("Benchmark flood", "A benchmark alert.", "Nothing to do.")},
        category="Met",
        topics=("weather",),
    )


def bench_enqueue(redis_url: str, database_url: str, count: int) -> tuple[float, float]:
    """(subscribers enqueued per second, peak Python heap in MB) for one broadcast."""
    services = _services(redis_url, database_url)
    _empty(services)
    subscribe(services, count)
    record = services.alerts.create(AUTHOR, _alert(services), draft=True)
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    audience = services.subscriptions.followers(record.alert.regions, record.alert.topics, BATCH)
    added = fan_out(services.fan_out, Broadcast.alert(record.alert_id), audience)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert added == count, (added, count)
    return count / seconds, peak / 1e6


def _worker_process(redis_url: str, database_url: str, name: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.fanout", "--name", name],
        cwd=PROJECT_ROOT,
        env={**os.environ, "REDIS_URL": redis_url, "DATABASE_URL": database_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def bench_null_workers(redis_url: str, database_url: str, count: int, workers: int) -> float:
    """Deliveries per second of ``workers`` worker processes to the null channel."""
    services = _services(redis_url, database_url)
    _empty(services)
    subscribe(services, count)
    processes = [_worker_process(redis_url, database_url, f"bench-{i}") for i in range(workers)]
    time.sleep(3)  # let them start (import time is not delivery time)
    started = time.perf_counter()
    record = services.alerts.create(AUTHOR, _alert(services))
    while not services.fan_out.progress(Broadcast.alert(record.alert_id)).complete:
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    for process in processes:
        process.terminate()
        process.wait(timeout=20)
    assert services.redis.scard(redis_keys.delivered_effects("null")) == count
    return count / seconds


def bench_rasa(redis_url: str, database_url: str, count: int) -> float:
    """Deliveries per second through Rasa's trigger_intent (the stack's own worker), end to end."""
    from bot.runtime.stack import Stack
    from bot.runtime.training import MODEL_NAME

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    settings = replace(
        load_settings(),
        redis_url=redis_url,
        database_url=database_url,
        rasa_auth_token=uuid.uuid4().hex,
        rest_channel=True,
    )
    stack = Stack(
        settings=settings,
        model=PROJECT_ROOT / "models" / f"{MODEL_NAME}.tar.gz",
        log_dir=PROJECT_ROOT / ".data" / "bench-logs",
    )
    stack.start()
    try:
        services = _services(redis_url, database_url)
        _empty(services)
        subscribe(services, count, channel="rest")
        started = time.perf_counter()
        record = services.alerts.create(AUTHOR, _alert(services))
        while not services.fan_out.progress(Broadcast.alert(record.alert_id)).complete:
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        progress = services.fan_out.progress(Broadcast.alert(record.alert_id))
        assert progress.sent == count, progress
    finally:
        stack.stop()
    return count / seconds


def main() -> None:
    """Run and print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="where subscriptions are kept (default: a fresh SQLite file in .data/bench/)",
    )
    parser.add_argument("--rasa", action="store_true", help="also deliver through the real stack")
    parser.add_argument("--rasa-deliveries", type=int, default=500)
    args = parser.parse_args()
    database_url = args.database_url or f"sqlite:///{PROJECT_ROOT / '.data' / 'bench' / 'fanout.db'}"
    upgrade(database_url)
    print(f"subscriptions in {database_url.split(':', 1)[0]}")
    print("resolve + enqueue (one broadcast to one region's subscribers)")
    peaks = {}
    for count in (10_000, 100_000):
        rate, peak = bench_enqueue(args.redis_url, database_url, count)
        peaks[count] = peak
        print(f"  {count:>7,} subscribers: {rate:>9,.0f}/s, Python heap peak {peak:6.2f} MB")
    print(f"  heap growth 10k -> 100k: {peaks[100_000] - peaks[10_000]:+.2f} MB (target < 50 MB)")
    print("delivery to the null channel (worker processes, 20,000 deliveries)")
    for workers in (1, 2):
        print(
            f"  {workers} worker(s): "
            f"{bench_null_workers(args.redis_url, database_url, 20_000, workers):,.0f} deliveries/s"
        )
    if args.rasa:
        rate = bench_rasa(args.redis_url, database_url, args.rasa_deliveries)
        print(
            f"through Rasa trigger_intent, 1 worker, {args.rasa_deliveries} REST conversations: {rate:,.1f}/s"
        )
    redis.Redis.from_url(args.redis_url).flushdb()


if __name__ == "__main__":
    main()
