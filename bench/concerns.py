"""Concerns: intake through the store, and the analyst list on 100,000 stored concerns.

Usage: ``python -m bench.concerns [--postgres URL]``. For SQLite (a file in a temporary folder) and
PostgreSQL (default: the machine's, database ``test``) it prints:

1. intake: concerns filed one after another through ``ConcernService.file`` (redaction, routing,
   one transaction each), in concerns/s;
2. with 100,000 concerns stored: the median latency of the analyst list (newest first, 50 per page)
   with a ministry + category + date-range filter, and with a text search;
3. the statistics over all of them (counts per week by category, region and status);
4. Open311's public ``GET requests.xml`` (the 1,000 newest of the last 90 days, a fifth with a
   ministry note to redact, rendered as XML).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text

from bot.catalogue.bundle import load_catalogues
from bot.catalogue.concern_routing import CATEGORIES
from bot.concerns.analysis import counts_over_time
from bot.concerns.database import downgrade_all, make_engine, upgrade
from bot.concerns.model import ConcernFilter, ConcernStatus, NewConcern
from bot.concerns.service import ConcernService
from bot.concerns.store import ConcernStore
from bot.concerns.tables import concerns
from bot.concerns.ticket import new_ticket
from bot.open311.document import render
from bot.open311.requests import request_records
from bot.settings import PROJECT_ROOT

NOW = datetime(2026, 11, 29, tzinfo=timezone.utc)
TEXTS = [
    "No water in {place} since Monday, the pump is broken. Call me on 0712 345 678.",
    "The road to {place} has deep potholes and a bus nearly overturned.",
    "The clinic in {place} has had no medicine for two weeks.",
    "Teachers at the {place} primary school have not come for a month.",
    "An officer at the {place} office asked me for money to issue my certificate.",
]
PLACES = ["Bandari", "Ziwani", "Milima", "Jangwani", "Mpaka", "Tambara", "Kilele", "Kalima City"]


def _median_ms(action: Callable[[], object], runs: int = 21) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def bench(url: str, intake: int, stored: int) -> None:
    """Run both measurements on one database."""
    if not url.startswith("sqlite"):
        downgrade_all(url)
    upgrade(url)
    engine = make_engine(url)
    catalogues = load_catalogues(PROJECT_ROOT / "config")
    service = ConcernService(ConcernStore(engine), lambda: catalogues, lambda: NOW)
    rng = random.Random(7)
    started = time.perf_counter()
    for n in range(intake):
        place = rng.choice(PLACES)
        service.file(
            NewConcern(
                rng.choice(CATEGORIES),
                rng.choice(TEXTS).format(place=place),
                "lakes",
                place,
                "en",
                "rest",
                f"rest:bench-{n}",
                False,
            )
        )
    rate = intake / (time.perf_counter() - started)
    rows = []
    for _ in range(stored - intake):
        category = rng.choice(CATEGORIES)
        created = NOW - timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
        rows.append(
            {
                "ticket": new_ticket(),
                "category": category,
                "ministry": catalogues.concern_routing.ministry_for(category, "lakes"),
                "region": rng.choice(list(catalogues.regions.ids)),
                "place": "",
                "language": "en",
                "channel": "rest",
                "subscriber": "",
                "description": rng.choice(TEXTS).format(place=rng.choice(PLACES)),
                "original": None,
                "contact_consent": False,
                "status": ConcernStatus.RECEIVED.value,
                "public_note": "A team was sent. Call 0712 345 678 for news." if rng.random() < 0.2 else "",
                "created_at": created,
                "updated_at": created,
            }
        )
    with engine.begin() as connection:
        seen: set[str] = set()
        unique = []
        for row in rows:  # random references may repeat: keep the first
            if row["ticket"] not in seen:
                seen.add(str(row["ticket"]))
                unique.append(row)
        for start in range(0, len(unique), 5000):
            connection.execute(concerns.insert(), unique[start : start + 5000])
    with engine.connect() as connection:
        total = connection.execute(text("SELECT count(*) FROM concerns")).scalar_one()
    store = ConcernStore(engine)
    filtered = ConcernFilter(
        ministry="water", category="water_sanitation", since=NOW - timedelta(days=30), until=NOW
    )
    list_ms = _median_ms(lambda: store.find(filtered, limit=50))
    search_ms = _median_ms(lambda: store.find(ConcernFilter(text="potholes"), limit=50))
    stats_ms = _median_ms(lambda: counts_over_time(store.daily_counts(ConcernFilter()), "week"), runs=7)

    def open311_public() -> str:
        found, _ = store.find(ConcernFilter(since=NOW - timedelta(days=90), until=NOW), limit=1000)
        records = request_records(found, catalogues, "en", lambda _: False, service.redacted)
        return render("service_requests", records, "xml")

    open311_ms = _median_ms(open311_public, runs=7)
    print(f"  intake: {rate:,.0f} concerns/s ({intake} filed through the service)")
    print(
        f"  {total:,} stored: filtered list {list_ms:.1f} ms, text search {search_ms:.1f} ms"
        " (median of 21, page of 50 with total)"
    )
    print(
        f"  statistics (all {total:,}, by week, category, region and status): {stats_ms:.1f} ms (median of 7)"
    )
    print(f"  Open311 public GET requests.xml (1,000 newest of 90 days, notes redacted): {open311_ms:.0f} ms")
    engine.dispose()


def main() -> None:
    """Run on SQLite and PostgreSQL."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--intake", type=int, default=1000)
    parser.add_argument("--stored", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite")
        bench(f"sqlite:///{Path(folder) / 'bench.db'}", args.intake, args.stored)
    print("PostgreSQL")
    bench(args.postgres, args.intake, args.stored)
    downgrade_all(args.postgres)


if __name__ == "__main__":
    main()
