"""Handoff figures and CSV over many stored handoffs.

Usage: ``python -m bench.handoff_figures [--redis URL] [--count N ...]``. For each count (default
1,000, 10,000 and 50,000 handoffs over the last 30 days, written straight into the store of the given
Redis, which is emptied first and after) it prints the median time of: reading them back
(``HandoffStore.asked_since``), computing the figures in all and per language, channel and desk, and
writing the CSV, as the insight service does for ``/api/v1/insights/handoffs(.csv)``.
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import redis

from bot.auth.roles import Actor, Role
from bot.handoff.figures import report
from bot.handoff.model import EndReason, Handoff, Status, Trigger, new_handoff_id
from bot.handoff.store import HandoffStore
from bot.insights.service import InsightService

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
DESKS = ["citizen_services", "health_line", "disaster_desk", "water_desk"]
LANGUAGES = ["en", "fr", "es", "pt", "sw", "ar"]
CHANNELS = ["socketio", "twilio", "africastalking", "telegram", "facebook"]
ANALYST = Actor("bench", "meteo", Role.ANALYST)


def _handoff(rng: random.Random) -> Handoff:
    """One handoff of the last 30 days, in a random state with realistic events."""
    asked = NOW - timedelta(seconds=rng.uniform(0, 30 * 86400))
    trigger = rng.choice(list(Trigger))
    handoff = Handoff(
        new_handoff_id(),
        f"web:bench-{rng.getrandbits(64):x}",
        rng.choice(CHANNELS),
        rng.choice(LANGUAGES),
        rng.choice(DESKS),
        trigger,
        asked,
    ).with_event("requested", asked, "citizen", detail={"trigger": trigger})
    at = asked + timedelta(seconds=rng.expovariate(1 / 240))
    if rng.random() < 0.12:
        return handoff.with_event("abandoned", at, "citizen", status=Status.ABANDONED, ended_at=at)
    handoff = handoff.with_event("claimed", at, "agent", status=Status.CLAIMED, agent="agent", claimed_at=at)
    if rng.random() < 0.1:
        at += timedelta(seconds=rng.expovariate(1 / 120))
        desk = rng.choice(DESKS)
        handoff = handoff.with_event("transferred", at, "agent", status=Status.WAITING, desk=desk)
        at += timedelta(seconds=rng.expovariate(1 / 120))
        handoff = handoff.with_event(
            "claimed", at, "other", status=Status.CLAIMED, agent="other", claimed_at=at
        )
    at += timedelta(seconds=rng.expovariate(1 / 420))
    handoff = handoff.with_event(
        "ended", at, "agent", status=Status.ENDED, ended_at=at, end_reason=EndReason.RESOLVED
    )
    if rng.random() < 0.4:
        handoff = handoff.with_event("rated", at, "citizen", rating=rng.randint(1, 5), comment="Thank you")
    return handoff


def _seed(client: redis.Redis[bytes], count: int) -> None:
    from bot import redis_keys

    rng = random.Random(count)
    pipe = client.pipeline(transaction=False)
    for n in range(count):
        handoff = _handoff(rng)
        pipe.set(redis_keys.handoff(handoff.handoff_id), handoff.to_json(), ex=3600)
        pipe.zadd(redis_keys.handoffs_by_time(), {handoff.handoff_id: handoff.requested_at.timestamp()})
        if n % 1000 == 999:
            pipe.execute()
    pipe.execute()


def _median_ms(action: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/11", help="a Redis database to empty")
    parser.add_argument("--count", type=int, nargs="*", default=[1_000, 10_000, 50_000])
    args = parser.parse_args()
    client = redis.Redis.from_url(args.redis)
    store = HandoffStore(client)
    since = NOW - timedelta(days=30)
    insights = InsightService(None, lambda: NOW, store.asked_since)  # type: ignore[arg-type]
    print("| handoffs | read back | figures (all, per language, channel, desk) | CSV | JSON route's work |")
    print("|---|---|---|---|---|")
    for count in args.count:
        client.flushdb()
        _seed(client, count)
        runs = 5 if count >= 10_000 else 11
        handoffs = store.asked_since(since)
        assert len(handoffs) == count
        read = _median_ms(lambda: store.asked_since(since), runs)
        figures = _median_ms(functools.partial(report, handoffs, since, NOW), runs)
        csv_ms = _median_ms(lambda: insights.handoffs_csv(ANALYST, 30), runs)
        route = _median_ms(lambda: insights.handoff_figures(ANALYST, 30), runs)
        print(f"| {count:,} | {read:.0f} ms | {figures:.0f} ms | {csv_ms:.0f} ms | {route:.0f} ms |")
    client.flushdb()


if __name__ == "__main__":
    main()
