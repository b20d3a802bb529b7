"""Stop-words as data: one list per language, folded like what citizens type, checked on load."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue.bundle import Catalogues
from bot.catalogue.stopwords import load_stopwords
from bot.yaml_files import DataFileError
from tests.conftest import edit_yaml


def test_every_language_has_its_list_folded(catalogues: Catalogues) -> None:
    lists = catalogues.stopwords.by_language
    assert set(lists) == set(catalogues.languages.codes)
    assert {"please", "report", "test"} <= lists["en"]
    assert "probleme" in lists["fr"] and "manana" in lists["es"]  # accents folded away
    assert "فضلك" in lists["ar"] and "tafadhali" in lists["sw"] and "obrigado" in lists["pt"]
    assert catalogues.stopwords.all >= lists["en"] | lists["sw"]


def test_a_missing_or_empty_list_names_its_file(config_copy: Path) -> None:
    edit_yaml(config_copy / "stopwords" / "sw.yml", lambda data: data.update(words=[]))
    with pytest.raises(DataFileError, match=r"sw\.yml: expected a non-empty list"):
        load_stopwords(config_copy, ("en", "sw"))
    with pytest.raises(DataFileError, match=r"de\.yml: file not found"):
        load_stopwords(config_copy, ("de",))
