"""The service catalogue: found by the names citizens use, complete in every language, checked on load."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue.bundle import Catalogues
from bot.catalogue.services import ASPECTS, load_services
from bot.yaml_files import DataFileError
from tests.conftest import edit_yaml


def test_services_are_found_by_everyday_names(catalogues: Catalogues) -> None:
    services = catalogues.services
    assert services.find_in_text("what do I need to renew my passport?", "en") == "passport"
    assert services.find_in_text("combien coûte une carte d'identité ?", "fr") == "national_id"
    assert services.find_in_text("combien coute une carte d identite", "fr") == "national_id"
    assert services.find_in_text("nitapataje cheti cha kuzaliwa?", "sw") == "birth_certificate"
    assert services.find_in_text("how is the weather today", "en") is None


def test_at_least_twelve_services_in_every_language(catalogues: Catalogues) -> None:
    assert len(catalogues.services.ids) >= 12
    for service in catalogues.services.services.values():
        assert set(service.texts) == set(catalogues.languages.codes)


def test_documents_become_a_bulleted_list_and_every_aspect_is_answered(config_dir: Path) -> None:
    services = load_services(config_dir, ("en", "fr"))
    passport = services.text("passport", "en")
    documents = passport.answer("documents").splitlines()
    assert len(documents) > 1 and all(line.startswith("• ") for line in documents)
    assert set(passport.aspects) == set(ASPECTS)
    assert services.get("passport") is not None and services.get("spaceship") is None
    assert services.services["passport"].fee_amounts and all(
        isinstance(a, int) for a in services.services["passport"].fee_amounts
    )


def test_a_citizen_typing_in_another_language_is_still_understood(catalogues: Catalogues) -> None:
    """The citizen's language is tried first, then every other one."""
    assert catalogues.services.find_in_text("passport please", "sw") == "passport"


def test_a_service_missing_in_one_language_or_lacking_a_field_is_refused(config_copy: Path) -> None:
    french = config_copy / "catalogue" / "services" / "fr.yml"
    edit_yaml(french, lambda data: data["services"]["passport"].pop("fee"))
    with pytest.raises(DataFileError, match=r"fr\.yml: service 'passport' lacks fee"):
        load_services(config_copy, ("en", "fr"))
    edit_yaml(french, lambda data: data["services"].pop("passport"))
    with pytest.raises(DataFileError, match=r"fr\.yml: service 'passport' is missing"):
        load_services(config_copy, ("en", "fr"))


def test_a_text_for_a_service_that_does_not_exist_is_refused(config_copy: Path) -> None:
    english = config_copy / "catalogue" / "services" / "en.yml"
    edit_yaml(english, lambda data: data["services"].update(spaceship=data["services"]["passport"]))
    with pytest.raises(DataFileError, match=r"unknown service ids \['spaceship'\]"):
        load_services(config_copy, ("en",))
