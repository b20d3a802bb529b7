"""The region catalogue: found by name, main town or spelling in any language, checked on load."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue.bundle import Catalogues
from bot.catalogue.regions import load_regions
from bot.yaml_files import DataFileError
from tests.conftest import edit_yaml


def test_regions_are_found_by_name_or_main_town(catalogues: Catalogues) -> None:
    regions = catalogues.regions
    assert regions.find_in_text("alerts in Bandari please", "en") == "coast"
    assert regions.find_in_text("the Lakes Region", "en") == "lakes"


def test_names_are_per_language_and_found_in_any_language(config_dir: Path) -> None:
    regions = load_regions(config_dir, ("en", "fr"))
    assert regions.ids[:2] == ("capital", "coast")
    assert regions.name("coast", "fr") == "Région de la Côte"
    assert regions.regions["coast"].geocode == "KL-02"
    assert regions.find_in_text("alertes pour la Région de la Côte", "en") == "coast"  # French, asked in en
    assert regions.find_in_text("Ziwani", "fr") == "lakes"  # the main town in every language
    assert regions.find_in_text("atlantis", "en") is None


def test_a_region_without_a_name_or_an_unknown_region_is_refused(config_copy: Path) -> None:
    french = config_copy / "catalogue" / "regions" / "fr.yml"
    edit_yaml(french, lambda data: data["regions"].update(atlantis={"name": "Atlantide"}))
    with pytest.raises(DataFileError, match=r"unknown region ids \['atlantis'\]"):
        load_regions(config_copy, ("en", "fr"))

    def unnamed_coast(data: dict[str, dict[str, object]]) -> None:
        del data["regions"]["atlantis"]
        data["regions"]["coast"] = {"spellings": ["côte"]}

    edit_yaml(french, unnamed_coast)
    with pytest.raises(DataFileError, match=r"fr\.yml: region 'coast' lacks a name"):
        load_regions(config_copy, ("en", "fr"))
