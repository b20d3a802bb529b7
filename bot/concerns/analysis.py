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
#: Words too common to be a trend, in the six languages (folded).
_STOPWORDS = set(
    " ".join(
        (
            "the and for with that this from have has been since there their they about your what when",
            "where which",
            "les des une pour dans avec depuis sont nous vous leur plus tres mais elle ils est pas que qui",
            "los las una para con desde hay son nuestro nuestra pero esta este muy que por del",
            "uma para com desde sao nosso nossa mas esta este muito que por dos das nao",
            "kwa katika hakuna tangu wiki sana lakini hii hiyo yetu wetu zetu kuna",
            "في من على الى إلى عن مع منذ هذا هذه التي الذي لا ما هناك",
        )
    ).split()
)


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


def terms(text: str) -> set[str]:
    """The words of a text worth counting (folded, 4+ letters, no stopwords, no redaction labels)."""
    return {
        w
        for w in re.findall(r"\w{4,}", fold(text))
        if w not in _STOPWORDS and w not in _PLACEHOLDER_WORDS and not w.isdigit()
    }


def rising_terms(
    this_week: list[str], last_week: list[str], top: int = 10, min_count: int = 3
) -> list[dict[str, Any]]:
    """Terms in more reports this week than last, ranked by growth (counts once per report)."""
    now = Counter(t for text in this_week for t in terms(text))
    before = Counter(t for text in last_week for t in terms(text))
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
