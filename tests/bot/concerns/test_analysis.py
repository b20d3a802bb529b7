"""Counts over time, rising terms, and cells a spreadsheet never runs."""

from datetime import date, timedelta

import pytest

from bot.catalogue.bundle import Catalogues
from bot.concerns.analysis import breakdown, counts_over_time, rising_terms, safe_cell, terms


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
    rising = rising_terms(this_week, last_week, stopwords=frozenset())
    assert rising[0] == {"term": "cholera", "this_week": 3, "last_week": 1, "ratio": 2.0}
    assert "potholes" not in {r["term"] for r in rising}
    assert "phone" not in terms("Call me on [phone]", frozenset())  # redaction labels are not trends


#: A seeded week in the six languages: each report names its matter among words any report has.
SEEDED_WEEK = [
    "Please, I want to report a test: cholera at the clinic, please help",
    "Hello, report please: cholera cases today, thanks",
    "Test report, please read: no medicine for cholera",
    "S'il vous plaît, je veux signaler un problème : choléra à Ziwani, merci",
    "Por favor, quiero reportar un problema: cólera en el barrio, gracias",
    "Por favor, quero participar um problema: cólera na aldeia, obrigado",
    "Tafadhali, nataka kuripoti tatizo: kipindupindu Ziwani, asante",
    "Tafadhali nisaidie, ripoti ya kipindupindu leo",
    "Tafadhali: kipindupindu sokoni, asante sana",
    "من فضلك أريد الإبلاغ عن مشكلة: الكوليرا في القرية، شكرا",
    "من فضلك، بلاغ: الكوليرا في المدرسة",
    "الرجاء المساعدة، مشكلة الكوليرا اليوم، شكرا",
]


def test_rising_words_leave_out_every_languages_stop_words(catalogues: Catalogues) -> None:
    stopwords = catalogues.stopwords.all
    rising = {r["term"] for r in rising_terms(SEEDED_WEEK, [], stopwords=stopwords)}
    assert {"cholera", "kipindupindu", "الكوليرا"} <= rising  # choléra folded to cholera
    everyday = {"please", "report", "test", "help", "tafadhali", "asante", "problema", "فضلك", "شكرا"}
    assert not rising & everyday
    without = {r["term"] for r in rising_terms(SEEDED_WEEK, [], stopwords=frozenset(), top=50)}
    assert {"please", "report", "tafadhali"} <= without  # what the lists take out


def test_a_word_in_fewer_reports_than_the_minimum_is_not_rising(catalogues: Catalogues) -> None:
    stopwords = catalogues.stopwords.all
    week = ["Flooded road at the bridge", "Flooded school", "Cholera at the clinic"]
    assert rising_terms(week, [], stopwords=stopwords) == []  # 2 reports each: chance, not a trend
    assert [r["term"] for r in rising_terms(week, [], stopwords=stopwords, min_count=2)] == ["flooded"]


def test_the_breakdown_names_the_leading_categories_and_regions_with_their_change() -> None:
    today = date(2026, 12, 1)
    ago = lambda days: today - timedelta(days=days)  # noqa: E731
    rows = [
        (ago(0), "health", "lakes", "received", 3),
        (ago(6), "health", "coast", "received", 1),  # still in the last 7 days
        (ago(7), "health", "lakes", "received", 1),  # the 7 days before
        (ago(10), "roads_transport", "north", "received", 4),
        (ago(20), "education", "", "received", 2),  # older than both windows
        (ago(1), "education", "", "received", 1),
    ]
    result = breakdown(rows, today, top=2)
    assert result["by_category"] == [
        {"key": "health", "total": 5, "recent": 4, "previous": 1},
        {"key": "roads_transport", "total": 4, "recent": 0, "previous": 4},
    ]
    assert [r["key"] for r in result["by_region"]] == ["lakes", "north"]
    unknown = {"key": "unknown", "total": 3, "recent": 1, "previous": 0}  # no region given
    assert breakdown(rows, today)["by_region"][2] == unknown


@pytest.mark.parametrize("value", ["=1+1", "+2", "-3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_become_text(value: str) -> None:
    assert safe_cell(value) == "'" + value


def test_plain_cells_are_unchanged() -> None:
    assert safe_cell("No water in Ziwani") == "No water in Ziwani" and safe_cell(None) == ""
