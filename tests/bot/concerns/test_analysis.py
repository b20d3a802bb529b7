"""Counts over time, rising terms, and cells a spreadsheet never runs."""

from datetime import date

import pytest

from bot.concerns.analysis import counts_over_time, rising_terms, safe_cell, terms


def test_days_and_weeks() -> None:
    rows = [
        (date(2026, 11, 23), "health", "coast", "received", 2),  # a Monday
        (date(2026, 11, 29), "health", "", "resolved", 1),  # the Sunday of the same week
        (date(2026, 11, 30), "water_sanitation", "lakes", "received", 4),  # the next Monday
    ]
    days = counts_over_time(rows, "day")
    assert [d["period"] for d in days] == ["2026-11-23", "2026-11-29", "2026-11-30"]
    weeks = counts_over_time(rows, "week")
    assert [(w["period"], w["total"]) for w in weeks] == [("2026-11-23", 3), ("2026-11-30", 4)]
    assert weeks[0]["by_region"] == {"coast": 2, "unknown": 1}
    assert weeks[0]["by_status"] == {"received": 2, "resolved": 1}


def test_rising_terms_count_reports_not_repetitions() -> None:
    this_week = [
        "Cholera cholera cholera in Ziwani",
        "cholera again",
        "Cholera near the market",
        "roads fine",
    ]
    last_week = ["cholera once", "potholes potholes", "potholes", "potholes"]
    rising = rising_terms(this_week, last_week)
    assert rising[0] == {"term": "cholera", "this_week": 3, "last_week": 1, "ratio": 2.0}
    assert "potholes" not in {r["term"] for r in rising}
    assert "phone" not in terms("Call me on [phone]")  # redaction labels are not trends


@pytest.mark.parametrize("value", ["=1+1", "+2", "-3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_become_text(value: str) -> None:
    assert safe_cell(value) == "'" + value


def test_plain_cells_are_unchanged() -> None:
    assert safe_cell("No water in Ziwani") == "No water in Ziwani" and safe_cell(None) == ""
