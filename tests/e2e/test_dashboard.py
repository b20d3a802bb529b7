"""The analyst dashboard in a real browser: charts, rising words, filters, table, export, accessibility."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis

from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.catalogue.bundle import Catalogues
from bot.catalogue.concern_routing import CATEGORIES
from bot.concerns.database import make_engine
from bot.concerns.model import ConcernFilter, NewConcern
from bot.concerns.service import ConcernService
from bot.concerns.store import ConcernStore
from bot.runtime.stack import Stack
from tests.e2e.conftest import E2E_REDIS_URL, WEB, records
from tests.e2e.test_browser import AXE, _require, playwright_api

#: (days ago, category, region, language, description)
SEEDED = [
    (1, "health", "lakes", "en", "Cholera cases at the Ziwani clinic, no medicine."),
    (2, "health", "lakes", "fr", "Choléra à Ziwani : cholera confirmé, pas de médicaments."),
    (2, "health", "coast", "en", "Cholera in the coast villages, the clinic is full."),
    (3, "water_sanitation", "lakes", "sw", "Maji machafu, watu wanaugua cholera Ziwani."),
    (4, "roads_transport", "north", "en", "The bridge on the north road collapsed."),
    (9, "roads_transport", "north", "en", "Potholes on the north road near the market."),
    (10, "education", "capital", "es", "La escuela no tiene maestros desde septiembre."),
    (11, "security", "", "en", '=HYPERLINK("http://evil.example","click") <img src=x onerror=alert(1)>'),
    # words anyone writes, in three reports this week: never "rising"; "borehole" is in two only
    (1, "water_sanitation", "coast", "en", "Please, a test report: the borehole pump at Bandari is broken."),
    (2, "water_sanitation", "coast", "en", "Test report, please: the borehole is dry again."),
    (3, "health", "coast", "sw", "Please report this test: kipindupindu Bandari, tafadhali saidia."),
]


@pytest.fixture(scope="module")
def seeded(stack: Stack, catalogues: Catalogues) -> Iterator[ConcernStore]:
    store = ConcernStore(make_engine(stack.settings.effective_database_url))
    now = utc_now()
    for days, category, region, language, text in SEEDED:
        service = ConcernService(store, lambda: catalogues, lambda days=days: now - timedelta(days=days))
        service.file(NewConcern(category, text, region, "", language, "rest", "", False))
    yield store


@pytest.fixture()
def keys(stack: Stack) -> dict[str, str]:
    store = records().api_keys
    return {
        "analyst": store.create("meteo", Role.ANALYST, "dashboard analyst", utc_now())[0],
        "health": store.create("health", Role.AUTHOR, "dashboard health", utc_now())[0],
    }


def _open(
    browser: playwright_api.Browser, key: str, language: str = "en", **context: object
) -> playwright_api.Page:
    page = browser.new_context(accept_downloads=True, **context).new_page()  # type: ignore[arg-type]
    page.goto(f"{WEB}/dashboard?lang={language}")
    page.fill("#api-key", key)
    page.keyboard.press("Enter")
    page.locator("#workspace").wait_for(state="visible")
    page.locator("#concerns tbody tr").first.wait_for()
    return page


def test_analyst_sees_charts_rising_words_table_and_exports(
    browser: playwright_api.Browser, seeded: ConcernStore, keys: dict[str, str], catalogues: Catalogues
) -> None:
    texts = catalogues.locales["en"].dashboard
    page = _open(browser, keys["analyst"], locale="en-GB")
    _, total = seeded.find(ConcernFilter(), limit=1)
    assert page.inner_text("#notice") == texts["loaded"].format(total=total)
    assert page.locator("#ministry-field").is_visible()  # analysts may choose any ministry

    # Charts: bars drawn, a sentence and a table carry the same numbers
    category_chart = page.locator("#chart-category")
    assert category_chart.locator("svg rect").count() >= 5
    assert f"{total} reports" in category_chart.locator(".summary").inner_text()
    category_chart.locator("summary").click()
    health_column = category_chart.locator("thead th").all_inner_texts().index("Health")
    health_cells = category_chart.locator(f"tbody tr td:nth-child({health_column + 1})").all_inner_texts()
    _, health_total = seeded.find(ConcernFilter(category="health"), limit=1)
    assert sum(int(c) for c in health_cells) == health_total
    assert "Region not given" in page.locator("#chart-region .legend").inner_text()

    # Axes a person can read: a label on each, more ticks than 0 and the maximum, dates as en-GB writes
    # them, and each chart its own sentence naming what leads it and how that changed
    for chart in (category_chart, page.locator("#chart-region")):
        labels = chart.locator("svg text.axis-label").all_text_contents()
        assert labels == [texts["axis_reports"], texts["axis_day"]]
        assert len(chart.locator("svg text.y-tick").all_text_contents()) >= 3
        assert all(
            re.fullmatch(r"\d\d/\d\d/\d{4}", d) for d in chart.locator("svg text.x-tick").all_text_contents()
        )
        font = chart.locator("svg text.y-tick").first.evaluate("t => t.getBoundingClientRect().height")
        assert font >= 12  # drawn at the size it is shown, not shrunk with the picture
    topics = category_chart.locator(".summary").inner_text()
    regions = page.locator("#chart-region .summary").inner_text()
    # The topic with the most reports leads the sentence (the other e2e tests file reports too).
    leading = max(CATEGORIES, key=lambda c: seeded.find(ConcernFilter(category=c), limit=1)[1])
    leader = catalogues.locales["en"].concern_category_names[leading]
    assert f"Most reported topics: {leader}" in topics and "last 7 days" in topics, topics
    assert "Regions with the most reports: " in regions and topics != regions
    assert re.search(
        r"\d\d/\d\d/\d{4}", page.locator("#concerns tbody tr td:nth-child(2)").first.inner_text()
    )

    # Rising words: cholera is in more reports this week than last; everyday words never are, nor a
    # word in fewer reports than the minimum the page states
    assert page.locator("#rising li", has_text="cholera").count() == 1
    rising = page.locator("#rising li").evaluate_all("items => items.map(item => item.dataset.term)")
    assert not {"please", "report", "test", "borehole"} & set(rising)
    assert page.inner_text("#rising-minimum") == texts["rising_minimum"].format(min_count=3)

    # Filters: a topic and a word
    page.select_option("#category", "roads_transport")
    page.fill("#q", "bridge")
    page.click("#filters button[type=submit]")
    page.locator("#notice", has_text=texts["loaded"].format(total=1)).wait_for()
    assert page.locator("#concerns tbody tr").count() == 1
    assert "bridge" in page.inner_text("#concerns tbody")

    # Export: the filtered rows, formula-safe
    page.fill("#q", "")
    page.select_option("#category", "security")
    page.click("#filters button[type=submit]")
    # The table shows what was typed as text, never as markup
    hostile = page.locator("#concerns tbody tr", has_text="HYPERLINK")
    assert "<img src=x onerror=alert(1)>" in hostile.inner_text()
    assert page.locator("#concerns img").count() == 0
    with page.expect_download() as download:
        page.click("#export")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows and all(r["category"] == "security" for r in rows)
    assert all(not r["description"].startswith("=") for r in rows)
    page.context.close()


def test_a_ministry_sees_only_its_own_and_pages_through_them(
    browser: playwright_api.Browser, seeded: ConcernStore, keys: dict[str, str]
) -> None:
    page = _open(browser, keys["health"])
    assert not page.locator("#ministry-field").is_visible()
    _, own = seeded.find(ConcernFilter(ministry="health"), limit=1)
    ministries = set(page.locator("#concerns tbody td:nth-child(6)").all_inner_texts())
    assert ministries == {"Ministry of Health"} and page.locator("#concerns tbody tr").count() == min(own, 25)
    assert page.locator("#previous").is_disabled()
    page.context.close()


def test_a_ministry_answers_a_concern_from_the_table(
    browser: playwright_api.Browser, seeded: ConcernStore, keys: dict[str, str], catalogues: Catalogues
) -> None:
    texts = catalogues.locales["en"].dashboard
    page = _open(browser, keys["health"], bypass_csp=True)
    page.fill("#q", "Cholera cases at the Ziwani clinic")  # other tests file many health reports
    page.click("#filters button[type=submit]")
    row = page.locator("#concerns tbody tr", has_text="Cholera cases at the Ziwani clinic")
    ticket = row.locator("td.ticket").inner_text()
    row.get_by_role("button", name=f"Update report {ticket}").click()
    assert page.locator("#answer-status").evaluate("e => e === document.activeElement")
    page.select_option("#answer-status", "in_progress")
    page.fill("#answer-note", "A team with medicine left this morning.")
    page.add_script_tag(path=str(AXE))  # the open answer form is accessible too
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    assert [v["id"] for v in result["violations"]] == []
    page.click("#answer-row button[type=submit]")
    page.locator("#notice", has_text=texts["saved"].format(ticket=ticket)).wait_for()
    status = catalogues.locales["en"].text("concern_status_in_progress")
    assert status in page.locator("#concerns tbody tr", has_text=ticket).inner_text()
    history = seeded.history(ticket)
    assert (history[-1]["to"], history[-1]["note"]) == (
        "in_progress",
        "A team with medicine left this morning.",
    )
    page.context.close()

    analyst = _open(browser, keys["analyst"])
    assert not analyst.locator("#actions-column").is_visible()
    assert analyst.get_by_role("button", name=f"Update report {ticket}").count() == 0
    analyst.context.close()


def test_a_refused_answer_is_told_beside_its_button_and_the_note_is_kept(
    browser: playwright_api.Browser, seeded: ConcernStore, keys: dict[str, str]
) -> None:
    page = _open(browser, keys["health"])
    page.fill("#q", "Cholera in the coast villages")
    page.click("#filters button[type=submit]")
    row = page.locator("#concerns tbody tr", has_text="Cholera in the coast villages")
    ticket = row.locator("td.ticket").inner_text()
    row.get_by_role("button", name=f"Update report {ticket}").click()
    page.select_option("#answer-status", "resolved")
    page.fill("#answer-note", "The clinic has medicine again.")
    page.evaluate(  # someone else closes it meanwhile
        """async ([ticket, key]) => { await fetch('/api/v1/concerns/' + ticket + '/status', {method: 'POST',
            headers: {'Authorization': 'Bearer ' + key, 'Content-Type': 'application/json'},
            body: JSON.stringify({status: 'closed', note: ''})}); }""",
        [ticket, keys["health"]],
    )
    page.click("#answer-row button[type=submit]")
    error = page.locator("#answer-row #answer-error")
    error.filter(has_text="The change was not saved").wait_for()
    assert error.get_attribute("role") == "alert" and page.inner_text("#problem") == ""
    assert page.input_value("#answer-note") == "The clinic has medicine again."  # nothing lost
    described = page.get_attribute("#answer-row button[type=submit]", "aria-describedby")
    assert described == "answer-error"
    page.context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_dashboard_has_no_wcag_a_or_aa_violation(
    browser: playwright_api.Browser, seeded: ConcernStore, keys: dict[str, str], language: str
) -> None:
    _require(AXE.exists(), "axe-core (npm)")
    page = _open(browser, keys["analyst"], language, bypass_csp=True)  # to inject axe
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    for details in page.locator("details").all():
        details.locator("summary").click()
    page.keyboard.press("Tab")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == []
    page.context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_analysts_see_the_questions_baraza_could_not_answer(
    browser: playwright_api.Browser,
    seeded: ConcernStore,
    keys: dict[str, str],
    catalogues: Catalogues,
    language: str,
) -> None:
    from bot.insights.unanswered import UnansweredLog

    log = UnansweredLog(redis.Redis.from_url(E2E_REDIS_URL), lambda text: text)
    redis.Redis.from_url(E2E_REDIS_URL).delete("baraza:insights:unanswered")
    for text in ("who won the match last night", "who won the match last night?", "capital of Peru"):
        log.record(language="en", channel="telegram", reason="out_of_scope", text=text, at=utc_now())
    page = _open(browser, keys["analyst"], language, bypass_csp=True)
    rows = page.locator("#unanswered tbody tr")
    rows.filter(has_text="capital of Peru").wait_for()
    first = rows.first.locator("td")
    assert first.nth(1).inner_text().startswith("who won the match last night")
    assert first.nth(0).inner_text() in ("2", "٢")  # counted in the page's language
    assert page.locator("#understood tbody tr").count() >= 1
    # The share understood as a chart: one line per language on a 0-100 % axis, labelled, with its
    # sentence naming each language with its share
    texts, english = catalogues.locales[language].dashboard, catalogues.locales[language].language_names["en"]
    chart = page.locator("#chart-understood")
    assert chart.locator("svg text.axis-label").all_text_contents() == [
        texts["axis_share"],
        texts["axis_day"],
    ]
    assert len(chart.locator("svg text.y-tick").all_text_contents()) == 6
    assert chart.locator("svg polyline.series").count() >= 1
    assert english in chart.locator(".legend").inner_text()
    summary = chart.locator(".summary").inner_text()
    assert english in summary and re.search(r"[\d٠-٩]+\s?[%٪]", summary)
    assert summary in (chart.locator("svg").get_attribute("aria-label") or "")
    chart.locator("details summary").click()  # the numbers as a table, checked by axe below
    _require(AXE.exists(), "axe-core (npm)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    page.context.close()
    ministry = _open(browser, keys["health"])
    assert not ministry.locator("#unanswered-section").is_visible()  # it spans every ministry
    ministry.context.close()
