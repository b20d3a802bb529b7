"""The supported languages: listed once, with their direction, and channel hints mapped onto them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.catalogue.bundle import Catalogues
from bot.i18n.languages import load_languages
from bot.yaml_files import DataFileError


def test_every_language_has_its_locale_and_direction(catalogues: Catalogues) -> None:
    assert catalogues.languages.codes == ("en", "fr", "es", "ar", "pt", "sw")
    assert catalogues.languages.get("ar").direction == "rtl"


def test_channel_hints_are_mapped_to_a_supported_language(config_dir: Path) -> None:
    languages = load_languages(config_dir)
    assert languages.default == "en"
    assert languages.normalise("fr-SN") == "fr"
    assert languages.normalise("pt_BR") == "pt"
    assert languages.normalise(" SW ") == "sw"
    assert languages.normalise("de-DE") is None
    assert languages.normalise("") is None and languages.normalise(None) is None
    assert languages.is_supported("ar") and not languages.is_supported("de")
    with pytest.raises(KeyError):
        languages.get("de")


def _write_languages(config: Path, data: dict[str, object]) -> None:
    (config / "languages.yml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def test_a_bad_direction_or_an_unlisted_default_is_refused(config_copy: Path) -> None:
    _write_languages(config_copy, {"languages": {"en": {"name": "English", "direction": "up"}}})
    with pytest.raises(DataFileError, match="en: direction must be ltr or rtl"):
        load_languages(config_copy)
    _write_languages(config_copy, {"default": "fr", "languages": {"en": {"name": "English"}}})
    with pytest.raises(DataFileError, match="default language 'fr' is not listed"):
        load_languages(config_copy)
    _write_languages(config_copy, {"languages": {}})
    with pytest.raises(DataFileError, match="'languages' must map codes to entries"):
        load_languages(config_copy)


def test_without_a_default_the_first_listed_language_is_the_default(config_copy: Path) -> None:
    _write_languages(config_copy, {"languages": {"sw": {"name": "Kiswahili"}, "en": {"name": "English"}}})
    languages = load_languages(config_copy)
    assert (languages.default, languages.codes, languages.get("sw").direction) == ("sw", ("sw", "en"), "ltr")
