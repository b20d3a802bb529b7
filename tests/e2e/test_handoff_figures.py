"""Handoff records and figures through the running stack: handoffs made through the handoff service on
the stack's Redis are read back by an analyst from the API, as CSV (no personal data) and on the
dashboard in Chromium (accessible, English and Arabic); housekeeping's retention removes the old ones."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot import redis_keys
from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.catalogue.bundle import Catalogues
from bot.handoff.distress import DistressKind
from bot.handoff.model import EndReason, Trigger
from bot.handoff.service import Agent, HandoffService
from bot.handoff.store import HandoffStore
from bot.housekeeping import retention
from bot.runtime.stack import Stack
from bot.services import Services
from tests.e2e.conftest import WEB, get, records
from tests.e2e.test_browser import AXE, _require, playwright_api

HANA = Agent("hana", frozenset({"health_line"}))
DARA = Agent("dara", frozenset({"disaster_desk"}))
PHONE = "+254711000222"
COMMENT_PHONE = "0712 345 678"


@dataclass
class Seeded:
    ids: dict[str, str]
    now: datetime


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture(scope="module")
def services(stack: Stack) -> Services:
    return Services(stack.settings)


@pytest.fixture(scope="module")
def seeded(services: Services) -> Iterator[Seeded]:
    """Five handoffs of the last hour, made by the handoff service as the inbox and the citizens would."""
    now = utc_now()
    # Only this module's handoffs in the figures: earlier modules' records go as retention drops them.
    services.handoffs.forget_before(now + timedelta(seconds=1))
    clock = Clock(now - timedelta(minutes=60))
    handoffs = HandoffService(
        HandoffStore(services.redis),
        services.desks,
        clock,
        timedelta(days=services.settings.conversation_retention_days),
        redact=services.concerns.redacted,
    )

    def later(minutes: float) -> None:
        clock.at += timedelta(minutes=minutes)

    ids = {}
    # A Spanish web citizen asks, waits 3 minutes, is served for 10, rates 5 with a comment
    ids["web"] = handoffs.ask(
        "web:fig-es", "socketio", "es", Trigger.ASKED, topic="health"
    ).handoff.handoff_id
    later(3)
    handoffs.claim(HANA, ids["web"])
    later(10)
    handoffs.end(HANA, ids["web"], EndReason.RESOLVED)
    comment = f"Muy amable, gracias. Llámame al {COMMENT_PHONE} si hay novedades."
    handoffs.rate(ids["web"], "web:fig-es", 5, comment)
    # A Swahili SMS citizen in distress: claimed after 1 minute, transferred, claimed again, ended
    ticket = handoffs.ask(
        f"sms:{PHONE}", "twilio", "sw", Trigger.ASKED, topic="health", distress=DistressKind.MEDICAL_EMERGENCY
    )
    ids["sms"] = ticket.handoff.handoff_id
    later(1)
    handoffs.claim(HANA, ids["sms"])
    later(2)
    handoffs.transfer(HANA, ids["sms"], "disaster_desk", f"Flood at her house, call {PHONE}")
    later(4)
    handoffs.claim(DARA, ids["sms"])
    later(5)
    handoffs.end(DARA, ids["sms"], EndReason.REFERRED)
    handoffs.rate(ids["sms"], f"sms:{PHONE}", 2)
    # An Arabic Telegram citizen leaves after 6 minutes; an English USSD citizen is still waiting
    left = handoffs.ask("telegram:fig-ar", "telegram", "ar", Trigger.NOT_UNDERSTOOD, topic="health")
    ids["left"] = left.handoff.handoff_id
    later(6)
    handoffs.leave("telegram:fig-ar")
    ids["waiting"] = handoffs.ask(
        f"ussd:{PHONE}", "africastalking", "en", Trigger.ASKED, topic="health"
    ).handoff.handoff_id
    yield Seeded(ids, now)


@pytest.fixture(scope="module")
def analyst(stack: Stack) -> str:
    return records().api_keys.create("meteo", Role.ANALYST, "handoff figures", utc_now())[0]


def _get(path: str, key: str) -> tuple[int, str, dict[str, str]]:
    return get(f"{WEB}{path}", {"Authorization": f"Bearer {key}"})


def test_an_analyst_reads_the_figures_per_language_channel_and_desk(seeded: Seeded, analyst: str) -> None:
    status, body, _ = _get("/api/v1/insights/handoffs?days=1", analyst)
    assert status == 200, body
    report = json.loads(body)
    overall = report["overall"]
    assert (overall["handoffs"], overall["ended"], overall["still_waiting"], overall["abandoned"]) == (
        4,
        2,
        1,
        1,
    )
    assert overall["abandoned_share"] == 0.25
    # waits of 3 and 1 minutes (the transferred one from its first request to its first claim)
    assert overall["waiting"] == {"count": 2, "median": 120.0, "p90": 180.0}
    assert overall["handling"] == {"count": 2, "median": 630.0, "p90": 660.0}
    assert (overall["ratings"], overall["rating_mean"]) == (2, 3.5)
    assert overall["rating_distribution"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    assert overall["triggers"] == {"asked": 2, "not_understood": 1, "distress": 1}
    assert set(report["by_language"]) == {"es", "sw", "ar", "en"}
    assert report["by_channel"]["twilio"]["triggers"]["distress"] == 1
    assert report["by_desk"]["disaster_desk"]["transferred"] == 1
    assert report["by_desk"]["health_line"]["handoffs"] == 3


def test_the_csv_has_one_row_per_handoff_and_no_personal_data(seeded: Seeded, analyst: str) -> None:
    status, text, headers = _get("/api/v1/insights/handoffs.csv?days=1", analyst)
    assert status == 200 and {k.lower(): v for k, v in headers.items()}["content-type"].startswith("text/csv")
    rows = {r["handoff_id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert set(rows) == set(seeded.ids.values())
    web, sms = rows[seeded.ids["web"]], rows[seeded.ids["sms"]]
    assert (web["language"], web["channel"], web["desk"], web["status"]) == (
        "es",
        "socketio",
        "health_line",
        "ended",
    )
    assert (web["waiting_seconds"], web["handling_seconds"], web["rating"]) == ("180.0", "600.0", "5")
    assert web["comment"].startswith("Muy amable") and COMMENT_PHONE not in web["comment"]
    assert (sms["trigger"], sms["transfers"], sms["end_reason"]) == ("distress", "1", "referred")
    assert (
        rows[seeded.ids["left"]]["handling_seconds"] == ""
        and rows[seeded.ids["left"]]["status"] == "abandoned"
    )
    for personal in (PHONE, "fig-es", "fig-ar", "hana", "dara", "Flood at her house"):
        assert personal not in text
    assert _get("/api/v1/insights/handoffs.csv?days=1", "bz_nothere_secret")[0] == 401


def _open(browser: playwright_api.Browser, key: str, language: str) -> playwright_api.Page:
    page = browser.new_context(accept_downloads=True, locale="en-GB", bypass_csp=True).new_page()
    page.goto(f"{WEB}/dashboard?lang={language}")
    page.fill("#api-key", key)
    page.keyboard.press("Enter")
    page.locator("#handoff-section").wait_for(state="visible")
    page.locator("#handoffs-desk tbody tr[data-key]").first.wait_for()
    return page


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_dashboard_shows_the_handoff_figures_accessibly(
    browser: playwright_api.Browser, seeded: Seeded, analyst: str, catalogues: Catalogues, language: str
) -> None:
    texts = catalogues.locales[language].dashboard
    page = _open(browser, analyst, language)
    summary = page.inner_text("#handoff-summary")
    assert texts["handoff_summary_count"].format(handoffs="4") in summary
    section = page.locator("#handoff-section")
    # one row per desk, language and channel, each named in the page's language
    health = catalogues.locales[language].ministry_names["health"]
    assert page.locator("#handoffs-desk tbody th", has_text=health).count() == 1
    assert page.locator("#handoffs-language tbody tr[data-key]").count() == 4
    assert page.locator("#handoffs-channel tbody tr[data-key=twilio]").count() == 1
    spanish = catalogues.locales[language].language_names["es"]
    assert page.locator("#handoffs-language tbody th", has_text=spanish).count() == 1
    # the chart: a bar pair per desk served, both axes labelled, its own sentence
    chart = page.locator("#chart-handoff-wait")
    assert chart.locator("svg rect.median").count() == 2 and chart.locator("svg rect.p90").count() == 2
    labels = chart.locator("svg text.axis-label").all_text_contents()
    assert labels == [texts["axis_minutes"], texts["axis_desk"]]
    assert chart.locator(".summary").inner_text() and chart.locator("svg").get_attribute("aria-label")
    ratings = page.locator("#handoff-ratings tbody tr")
    assert ratings.count() == 5
    if language == "en":
        assert "4 conversations were handed to a person" in summary
        assert "1 left before a person came (25%" in summary
        row = page.locator("#handoffs-desk tbody tr[data-key=health_line] td")
        assert row.nth(0).inner_text() == "3"
        assert ratings.nth(4).locator("td").inner_text() == "1"
        with page.expect_download() as download:
            page.click("#export-handoffs")
        rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
        assert {r["handoff_id"] for r in rows} == set(seeded.ids.values())
    _require(AXE.exists(), "axe-core (npm)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    assert section.is_visible()
    page.context.close()


def test_a_ministry_key_sees_no_handoff_section(browser: playwright_api.Browser, seeded: Seeded) -> None:
    key = records().api_keys.create("health", Role.ADMIN, "handoff figures ministry", utc_now())[0]
    page = browser.new_context().new_page()
    page.goto(f"{WEB}/dashboard")
    page.fill("#api-key", key)
    page.keyboard.press("Enter")
    page.locator("#workspace").wait_for(state="visible")
    assert not page.locator("#handoff-section").is_visible()
    assert _get("/api/v1/insights/handoffs?days=1", key)[0] == 403
    page.context.close()


def test_retention_drops_handoffs_older_than_conversations_are_kept(
    seeded: Seeded, services: Services, analyst: str
) -> None:
    kept = timedelta(days=services.settings.conversation_retention_days)
    old_clock = Clock(seeded.now - kept - timedelta(hours=2))
    old = HandoffService(HandoffStore(services.redis), services.desks, old_clock, kept)
    old_id = old.ask("web:fig-old", "socketio", "fr", Trigger.ASKED, topic="health").handoff.handoff_id
    old_clock.at += timedelta(minutes=5)
    old.leave("web:fig-old")
    ninety_two = json.loads(_get("/api/v1/insights/handoffs?days=92", analyst)[1])
    assert ninety_two["overall"]["handoffs"] == 5 and "fr" in ninety_two["by_language"]

    retention(services)  # what the delivery worker's housekeeping runs every hour

    after = json.loads(_get("/api/v1/insights/handoffs?days=92", analyst)[1])
    assert after["overall"]["handoffs"] == 4 and "fr" not in after["by_language"]
    assert not services.redis.exists(redis_keys.handoff(old_id))
    assert old_id not in _get("/api/v1/insights/handoffs.csv?days=92", analyst)[1]
    assert seeded.ids["waiting"] in _get("/api/v1/insights/handoffs.csv?days=92", analyst)[1]
