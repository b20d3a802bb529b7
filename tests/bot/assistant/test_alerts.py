"""The alerts in force in a region, most severe first, in the citizen's language."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.alerts.model import Alert, AlertText
from bot.assistant.alerts import active_alerts
from bot.assistant.menus import region_menu
from bot.catalogue.bundle import Catalogues

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


class Alerts:
    def __init__(self, *alerts: Alert) -> None:
        self.alerts = alerts
        self.asked: list[tuple[str, datetime]] = []

    def active_in_region(self, region_id: str, now: datetime) -> list[Alert]:
        self.asked.append((region_id, now))
        return [a for a in self.alerts if region_id in a.regions]


def _alert(severity: str, texts: dict[str, AlertText]) -> Alert:
    return Alert(f"al_{severity}", severity, ("coast",), NOW, NOW + timedelta(hours=1), texts)


def test_the_alerts_of_the_region_are_listed_and_the_region_remembered(catalogues: Catalogues) -> None:
    locale = catalogues.locales["fr"]
    source = Alerts(
        _alert("Extreme", {"fr": AlertText("Tsunami.", "d", "Fuyez.")}),
        _alert("Minor", {"en": AlertText("Dust", "d", "Close windows.")}),
    )
    outcome = active_alerts(catalogues, "fr", "coast", source, NOW)
    assert source.asked == [("coast", NOW)]
    assert outcome.remember == {"region": "coast"}
    lines = outcome.replies[0].text.splitlines()
    assert lines[0] == locale.text("alerts_intro", region=catalogues.regions.name("coast", "fr"))
    assert lines[1] == locale.text(
        "alerts_item", severity=locale.text("severity_extreme"), headline="Tsunami", instruction="Fuyez."
    )
    assert lines[2].endswith(locale.text("alerts_other_language"))  # only in English


def test_no_alert_in_the_region_says_so(catalogues: Catalogues) -> None:
    outcome = active_alerts(catalogues, "en", "north", Alerts(), NOW)
    region = catalogues.regions.name("north", "en")
    assert outcome.replies[0].text == catalogues.locales["en"].text("alerts_none", region=region)
    assert outcome.remember == {"region": "north"}


def test_without_a_known_region_the_regions_are_offered(catalogues: Catalogues) -> None:
    source = Alerts()
    asked = active_alerts(catalogues, "en", None, source, NOW)
    unknown = active_alerts(catalogues, "en", "atlantis", source, NOW, named_unknown=True)
    assert asked.replies[0].text == catalogues.locales["en"].text("alerts_which_region")
    assert unknown.replies[0].text == catalogues.locales["en"].text("alerts_unknown_region")
    assert asked.replies[0].options == region_menu(catalogues, "en") == unknown.replies[0].options
    # The question is remembered, so that a sentence typed as the answer is read for a region.
    assert source.asked == [] and asked.remember == {"pending": {"kind": "alerts_region", "again": False}}


def test_an_answer_that_names_no_region_gets_the_question_once_more_in_other_words(
    catalogues: Catalogues,
) -> None:
    again = active_alerts(catalogues, "en", None, Alerts(), NOW, again=True)
    assert again.replies[0].text == catalogues.locales["en"].text("region_not_found")
    assert again.replies[0].options == region_menu(catalogues, "en")
    assert again.remember["pending"]["again"] is True
