"""What analysts look at: counts over time, rising terms, a spreadsheet-safe export."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date, timedelta
from typing import Any

from bot.concerns.model import Concern
from bot.concerns.redaction import PLACEHOLDERS
from bot.phrases import fold

#: A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS = (
    "ticket",
    "created_at",
    "category",
    "ministry",
    "region",
    "place",
    "language",
    "channel",
    "status",
    "public_note",
    "description",
)
_PLACEHOLDER_WORDS = {w for p in PLACEHOLDERS.values() for w in fold(p).split()}
#: A word must be in at least this many reports this week to be called rising (fewer is chance).
MIN_REPORTS = 3
#: How many categories or regions a chart's sentence names.
BREAKDOWN_TOP = 3


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def counts_over_time(rows: list[tuple[date, str, str, str, int]], period: str) -> list[dict[str, Any]]:
    """(day, category, region, status, count) rows -> counts per period by category, region, status."""
    buckets: dict[date, dict[str, Counter[str]]] = {}
    for day, category, region, status, count in rows:
        key = week_start(day) if period == "week" else day
        bucket = buckets.setdefault(key, {"category": Counter(), "region": Counter(), "status": Counter()})
        bucket["category"][category] += count
        bucket["region"][region or "unknown"] += count
        bucket["status"][status] += count
    return [
        {
            "period": key.isoformat(),
            "total": sum(bucket["category"].values()),
            "by_category": dict(bucket["category"]),
            "by_region": dict(bucket["region"]),
            "by_status": dict(bucket["status"]),
        }
        for key, bucket in sorted(buckets.items())
    ]


def terms(text: str, stopwords: frozenset[str]) -> set[str]:
    """The words of a text worth counting (folded, 4+ letters, no stop-words, no redaction labels)."""
    return {
        w
        for w in re.findall(r"\w{4,}", fold(text))
        if w not in stopwords and w not in _PLACEHOLDER_WORDS and not w.isdigit()
    }


def rising_terms(
    this_week: list[str],
    last_week: list[str],
    *,
    stopwords: frozenset[str],
    top: int = 10,
    min_count: int = MIN_REPORTS,
) -> list[dict[str, Any]]:
    """Terms in more reports this week than last, and in at least ``min_count`` of this week's, ranked
    by growth (a term counts once per report; ``stopwords`` folded, see ``config/stopwords/``)."""
    now = Counter(t for text in this_week for t in terms(text, stopwords))
    before = Counter(t for text in last_week for t in terms(text, stopwords))
    growing = [
        (round((count + 1) / (before[term] + 1), 2), count, term)
        for term, count in now.items()
        if count >= min_count and count > before[term]
    ]
    growing.sort(key=lambda g: (-g[0], -g[1], g[2]))
    return [
        {"term": term, "this_week": count, "last_week": before[term], "ratio": ratio}
        for ratio, count, term in growing[:top]
    ]


def breakdown(
    rows: list[tuple[date, str, str, str, int]], today: date, top: int = BREAKDOWN_TOP
) -> dict[str, list[dict[str, Any]]]:
    """The categories and the regions with the most reports in ``rows``, each with its count in the
    last 7 days (to ``today``) and in the 7 before: what a chart's sentence says, per dimension."""
    recent_start, previous_start = today - timedelta(days=6), today - timedelta(days=13)
    result: dict[str, list[dict[str, Any]]] = {}
    for name, index in (("by_category", 1), ("by_region", 2)):
        total: Counter[str] = Counter()
        recent: Counter[str] = Counter()
        previous: Counter[str] = Counter()
        for row in rows:
            key, day, count = str(row[index]) or "unknown", row[0], row[4]
            total[key] += count
            if recent_start <= day <= today:
                recent[key] += count
            elif previous_start <= day < recent_start:
                previous[key] += count
        ranked = sorted(total.items(), key=lambda item: (-item[1], item[0]))[:top]
        result[name] = [
            {"key": key, "total": count, "recent": recent[key], "previous": previous[key]}
            for key, count in ranked
        ]
    return result


def safe_cell(value: object) -> str:
    """A value a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def export_csv(concerns: list[Concern]) -> str:
    """CSV of concerns (redacted texts), every cell formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for concern in concerns:
        values = concern.redacted_view()
        writer.writerow([safe_cell(values[column]) for column in EXPORT_COLUMNS])
    return buffer.getvalue()
