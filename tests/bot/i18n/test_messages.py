"""The assistant's own sentences: one locale file per language, placeholders filled on use."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n.languages import load_languages
from bot.i18n.messages import load_locales, placeholders
from bot.yaml_files import DataFileError
from tests.conftest import edit_yaml


def test_placeholders_are_the_names_a_template_expects() -> None:
    assert placeholders("ALERT from {sender}: {headline}") == {"sender", "headline"}
    assert placeholders("no placeholder, {{ literal braces }}") == set()


def test_every_language_gets_its_locale_and_texts_are_filled(config_dir: Path) -> None:
    locales = load_locales(config_dir, load_languages(config_dir))
    assert set(locales.locales) == {"en", "fr", "es", "ar", "pt", "sw"}
    english = locales["en"]
    assert english.code == "en"
    assert english.text("alert_from", sender="Meteo") == "ALERT from Meteo"
    with pytest.raises(KeyError):
        english.text("alert_from")  # a missing value is an error, never a "{sender}" shown to a citizen


def test_lists_are_joined_with_each_languages_punctuation(config_dir: Path) -> None:
    locales = load_locales(config_dir, load_languages(config_dir))
    assert locales["en"].join(["Coast", "", "Lakes"]) == "Coast, Lakes"
    assert locales["ar"].join(["الساحل", "البحيرات"]) == "الساحل، البحيرات"  # Arabic comma, not ","
    assert locales["ar"].join([]) == ""
    for code, locale in locales.locales.items():
        assert locale.join(["a", "b"]) == "a" + locale.text("list_separator") + "b", code


def test_spellings_and_opt_out_words_of_every_locale_are_pooled(config_dir: Path) -> None:
    locales = load_locales(config_dir, load_languages(config_dir))
    spellings = locales.language_spellings()
    assert spellings["anglais"] == "en"  # written in French
    assert spellings["français"] == "fr"
    words = locales.opt_out_keywords()
    assert {"stop", "arrêt"} <= words  # STOP works whatever the conversation's language
    assert all(word == word.lower() for word in words)


def test_a_locale_without_a_required_section_is_refused_naming_the_file(config_copy: Path) -> None:
    edit_yaml(config_copy / "locales" / "sw.yml", lambda data: data.pop("messages"))
    with pytest.raises(DataFileError, match=r"sw\.yml: missing or malformed section"):
        load_locales(config_copy, load_languages(config_copy))
