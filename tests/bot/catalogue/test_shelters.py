"""The shelter catalogue: open or full per region, named in every language, checked on load."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue.bundle import Catalogues
from bot.catalogue.shelters import load_shelters
from bot.yaml_files import DataFileError
from tests.conftest import edit_yaml

LANGUAGES = ("en", "fr", "es", "ar", "pt", "sw")
REGIONS = {"capital", "coast", "lakes", "highlands", "north", "south", "east", "west"}


def test_the_open_shelters_of_a_region_named_in_every_language(catalogues: Catalogues) -> None:
    shelters = catalogues.shelters
    coast = shelters.open_in(("coast",))
    assert [s.shelter_id for s in coast] == ["bandari_primary", "pwani_secondary"]  # the hall is full
    assert coast[0].capacity == 400 and coast[0].accessible
    assert all(set(s.names) == set(LANGUAGES) == set(s.places) for s in shelters.shelters.values())
    assert coast[0].names["ar"] == "مدرسة بانداري الابتدائية"
    assert shelters.open_in(("south",)) == []  # its only shelter is full


@pytest.mark.parametrize(
    "question",
    [
        "Is there a shelter in Bandari?",
        "Y a-t-il un abri ?",
        "¿Hay un refugio?",
        "هل يوجد مأوى؟",
        "Há abrigos?",
        "Kuna makazi?",
    ],
)
def test_a_question_speaks_of_shelters_in_every_language(catalogues: Catalogues, question: str) -> None:
    assert catalogues.shelters.asks_about_shelters(question)


def test_alerts_for_the_coast_are_no_shelter_question(catalogues: Catalogues) -> None:
    assert not catalogues.shelters.asks_about_shelters("alerts for Bandari")


def test_opening_a_shelter_is_an_edit_of_one_line(config_copy: Path) -> None:
    edit_yaml(
        config_copy / "catalogue" / "shelters.yml",
        lambda data: data["shelters"]["mpaka_school"].update(status="open"),
    )
    shelters = load_shelters(config_copy, LANGUAGES, REGIONS)
    assert [s.shelter_id for s in shelters.open_in(("south",))] == ["mpaka_school"]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"status": "closed"}, "status must be one of open, full"),
        ({"region": "atlantis"}, "region 'atlantis' is not in regions.yml"),
        ({"capacity": "many"}, "capacity must be a whole number"),
        ({"accessible": "yes"}, "accessible must be true or false"),
    ],
)
def test_a_wrong_fact_is_refused_naming_the_shelter(
    config_copy: Path, change: dict[str, object], error: str
) -> None:
    edit_yaml(
        config_copy / "catalogue" / "shelters.yml",
        lambda data: data["shelters"]["bandari_hall"].update(change),
    )
    with pytest.raises(DataFileError, match=f"'bandari_hall': {error}"):
        load_shelters(config_copy, LANGUAGES, REGIONS)


def test_a_shelter_missing_in_a_language_is_refused(config_copy: Path) -> None:
    edit_yaml(
        config_copy / "catalogue" / "shelters" / "sw.yml", lambda data: data["shelters"].pop("ziwani_stadium")
    )
    with pytest.raises(DataFileError, match=r"sw\.yml: shelter 'ziwani_stadium' lacks a name or a place"):
        load_shelters(config_copy, LANGUAGES, REGIONS)
