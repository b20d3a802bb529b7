"""Alert records: what an approval costs on SQLite and on PostgreSQL, and reading them back.

Usage: ``python -m bench.alert_records --redis redis://127.0.0.1:6379/15 [--postgres URL] [--alerts N]``
(the Redis database is emptied: give one of its own). For SQLite (a file in a temporary folder) and
PostgreSQL (default: the machine's, database ``test``, emptied) it files ``N`` alerts of a ministry
that needs a second approver and prints, in milliseconds (median and 95th percentile):

1. approve: ``AlertService.approve`` as the API calls it (the compare-and-set with its history entry
   and outbox row in one transaction, then the relay to Redis: the alert shown, its fan-out job
   queued, the outbox row taken out);
2. read one record with its history, and the ministry's list (50 newest) once ``N`` are stored.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path

import redis

from bot.alerts.model import Alert, AlertText, utc_now
from bot.alerts.service import new_alert_id
from bot.auth.roles import Actor, Role
from bot.concerns.database import upgrade
from bot.schema import every_table
from bot.services import Services
from bot.settings import load_settings

AUTHOR = Actor("bench-author", "health", Role.AUTHOR, person="MOH-1")
APPROVER = Actor("bench-approver", "health", Role.APPROVER, person="MOH-2")


def _alert() -> Alert:
    start = utc_now()
    return Alert(
        alert_id=new_alert_id(),
        severity="Severe",
        regions=("coast",),
        effective=start,
        expires=start + timedelta(hours=6),
        texts={"en": AlertText("Cholera", "Cases are rising.", "Boil drinking water.")},
        category="Health",
    )


def _spread(timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered):6.2f} ms, p95 {p95:6.2f} ms"


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def run(name: str, database_url: str, redis_url: str, count: int) -> None:
    """File and approve ``count`` alerts on one database; print the figures."""
    upgrade(database_url)
    redis.Redis.from_url(redis_url).flushdb()
    services = Services(replace(load_settings({}), redis_url=redis_url, database_url=database_url))
    with services.database.begin() as connection:
        for table in reversed(every_table()):
            connection.execute(table.delete())
    ids = [services.alerts.create(AUTHOR, _alert()).alert_id for _ in range(count)]
    approvals = [_timed(partial(services.alerts.approve, APPROVER, alert_id)) for alert_id in ids]
    reads = [_timed(partial(services.alerts.get, AUTHOR, alert_id)) for alert_id in ids[:200]]
    lists = [_timed(lambda: services.alerts.list_alerts(AUTHOR, limit=50)) for _ in range(50)]
    print(f"{name:10} approve {_spread(approvals)}")
    print(f"{name:10} read    {_spread(reads)}")
    print(f"{name:10} list 50 {_spread(lists)}   ({count} alerts stored)")
    services.database.dispose()


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.alert_records")
    parser.add_argument("--redis", required=True, help="a Redis database of its own (it is emptied)")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--alerts", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("sqlite", f"sqlite:///{Path(folder) / 'baraza.db'}", args.redis, args.alerts)
    run("postgresql", args.postgres, args.redis, args.alerts)


if __name__ == "__main__":
    main()
