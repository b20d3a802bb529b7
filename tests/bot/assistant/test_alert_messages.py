"""How an alert reads in a citizen's chat."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from bot.alerts.model import Alert, AlertText
from bot.assistant.alert_messages import alert_details, cancelled_alert, pushed_alert, template_values
from bot.catalogue.bundle import Catalogues

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
ALERT = Alert(
    "al_1",
    "Severe",
    ("coast", "lakes"),
    NOW,
    NOW + timedelta(hours=6),
    {
        "en": AlertText("Flood warning.", "The river is rising.", "Move to high ground."),
        "fr": AlertText("Alerte crue", "Le fleuve monte.", ""),
    },
    sender="meteo",
)


def test_the_pushed_message_says_who_how_serious_and_what_to_do(catalogues: Catalogues) -> None:
    locale = catalogues.locales["en"]
    lines = pushed_alert(catalogues, "en", ALERT).splitlines()
    assert lines[0] == locale.text("alert_from", sender=locale.ministry_names["meteo"])
    assert lines[1] == f"{locale.text('severity_severe')}: Flood warning. Move to high ground."  # no ". ."
    assert lines[-1] == locale.text("alert_more_hint")
    assert locale.text("alerts_other_language") not in lines


def test_an_update_and_a_missing_language_say_so(catalogues: Catalogues) -> None:
    locale = catalogues.locales["sw"]
    update = replace(ALERT, msg_type="Update", references=("al_0",))
    message = pushed_alert(catalogues, "sw", update)
    assert message.startswith(locale.text("alert_update_from", sender=locale.ministry_names["meteo"]))
    assert "Flood warning" in message and locale.text("alerts_other_language") in message


def test_the_cancellation_names_the_alert_that_no_longer_applies(catalogues: Catalogues) -> None:
    locale = catalogues.locales["fr"]
    assert cancelled_alert(catalogues, "fr", ALERT) == locale.text(
        "alert_cancelled", sender=locale.ministry_names["meteo"], headline="Alerte crue"
    )


def test_the_details_list_the_areas_and_the_end_in_utc(catalogues: Catalogues) -> None:
    locale = catalogues.locales["fr"]
    lines = alert_details(catalogues, "fr", ALERT).splitlines()
    regions = locale.text("list_separator").join(catalogues.regions.name(r, "fr") for r in ("coast", "lakes"))
    assert lines == [
        "Alerte crue",
        "Le fleuve monte.",  # no empty instruction line
        locale.text("alert_details_areas", regions=regions),
        locale.text("alert_details_until", expires="2026-11-29 14:00"),
    ]


def test_template_values_are_the_parts_of_the_pushed_message(catalogues: Catalogues) -> None:
    values = template_values(catalogues, "en", ALERT)
    assert values == {
        "sender": catalogues.locales["en"].ministry_names["meteo"],
        "headline": "Flood warning",
        "instruction": "Move to high ground.",
        "severity": catalogues.locales["en"].text("severity_severe"),
    }


def test_the_details_of_a_weather_alert_name_the_open_shelters_of_its_regions(catalogues: Catalogues) -> None:
    flood = replace(ALERT, topics=("weather",))
    locale = catalogues.locales["fr"]
    details = alert_details(catalogues, "fr", flood).splitlines()
    shelters = [
        line for line in details if line.startswith(locale.text("alert_details_shelters", shelters="")[:5])
    ]
    assert (
        len(shelters) == 1 and "École primaire de Bandari" in shelters[0] and "Stade de Ziwani" in shelters[0]
    )
    assert "Salle communautaire de Bandari" not in shelters[0]  # full
    health = replace(ALERT, topics=("health",))
    assert "École primaire de Bandari" not in alert_details(catalogues, "fr", health)
