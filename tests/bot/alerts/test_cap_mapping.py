"""Between CAP messages and Baraza's alerts: areas to regions, <info> blocks to languages, and back."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from bot.alerts.cap import CapError, parse_cap, write_cap
from bot.alerts.cap_mapping import alert_from_cap, cap_from_alert
from bot.alerts.model import Alert, AlertText
from bot.catalogue.bundle import Catalogues
from bot.catalogue.regions import RegionCatalogue
from tests.conftest import CAP_SAMPLES


def _read(name: str) -> bytes:
    return (CAP_SAMPLES / name).read_bytes()


def _kalima_alert(**changes: object) -> Alert:
    now = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
    alert = Alert(
        alert_id="al_1",
        severity="Severe",
        urgency="Immediate",
        certainty="Likely",
        category="Met",
        regions=("coast", "lakes"),
        effective=now,
        expires=now + timedelta(hours=6),
        texts={
            "en": AlertText("Flood warning", "The river is rising.", "Move to high ground."),
            "fr": AlertText("Alerte inondation", "Le fleuve monte.", "Montez en hauteur."),
        },
        sender="disaster",
        topics=("weather",),
        event="Flood",
    )
    return replace(alert, **changes)  # type: ignore[arg-type]


def test_written_cap_is_valid_and_maps_back_to_the_same_alert(catalogues: Catalogues) -> None:
    alert = _kalima_alert()
    message = cap_from_alert(
        alert, catalogues, sender="alerts@ndma.kalima.example", identifier="KL-1", sent=alert.effective
    )
    document = write_cap(message)
    parsed = parse_cap(document)  # our own output passes the OASIS schema
    assert [i.language for i in parsed.infos] == ["en", "fr"]
    assert parsed.infos[1].sender_name == catalogues.locales["fr"].ministry_names["disaster"]
    back = alert_from_cap(parsed, catalogues, alert_id="al_1", sender_ministry="disaster")
    assert back == alert


def test_areas_map_to_regions_by_geocode_or_any_language_name(catalogues: Catalogues) -> None:
    alert = _kalima_alert()
    message = cap_from_alert(alert, catalogues, sender="s", identifier="i", sent=alert.effective)
    by_name = message.infos[0]
    renamed = replace(
        by_name,
        areas=(
            replace(by_name.areas[0], geocodes=(), description="Région de la Côte"),
            replace(by_name.areas[1], description="somewhere", geocodes=(("x", "kl-03"),)),
        ),
    )
    mapped = alert_from_cap(
        replace(message, infos=(renamed,)), catalogues, alert_id="a", sender_ministry="disaster"
    )
    assert mapped.regions == ("coast", "lakes")


def test_real_alert_maps_when_its_geocode_is_a_known_region(catalogues: Catalogues) -> None:
    """The Canadian alert's CLC geocode, declared as a region's code, picks that region."""
    message = parse_cap(_read("canada.cap"))
    with pytest.raises(CapError, match=r"'Windsor - Leamington - Essex County', .* matches no region"):
        alert_from_cap(message, catalogues, alert_id="a", sender_ministry="meteo", references=("x",))
    regions = dict(catalogues.regions.regions)
    regions["coast"] = replace(regions["coast"], geocode="041420")
    local = replace(catalogues, regions=RegionCatalogue(regions))
    only_windsor = replace(message, infos=tuple(replace(i, areas=i.areas[:1]) for i in message.infos))
    alert = alert_from_cap(only_windsor, local, alert_id="a", sender_ministry="meteo", references=("x",))
    assert alert.regions == ("coast",)
    assert set(alert.texts) == {"en", "fr"}
    assert alert.texts["fr"].headline == message.infos[1].headline
    assert (alert.msg_type, alert.severity, alert.topics) == ("Update", "Minor", ("weather",))


def test_test_and_exercise_messages_are_not_broadcast(catalogues: Catalogues) -> None:
    message = parse_cap(_read("iceland_met_office.cap"))
    with pytest.raises(CapError, match="only Actual alerts"):
        alert_from_cap(replace(message, status="Exercise"), catalogues, alert_id="a", sender_ministry="meteo")


def test_a_cap_description_longer_than_the_json_limit_is_refused(catalogues: Catalogues) -> None:
    """CAP used to skip the JSON limits: a 985,014-character description was accepted."""
    alert = _kalima_alert()
    message = cap_from_alert(alert, catalogues, sender="s", identifier="i", sent=alert.effective)
    document = write_cap(message).replace(b"The river is rising.", b"x" * 985_014, 1)
    with pytest.raises(CapError, match=r"texts\.en\.description: at most 2000 characters, got 985014"):
        alert_from_cap(parse_cap(document), catalogues, alert_id="al_1", sender_ministry="disaster")
