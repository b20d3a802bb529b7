"""The ministries: who sends alerts, under which CAP sender, and whether a second person approves."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue.ministries import load_ministries
from bot.yaml_files import DataFileError
from tests.conftest import edit_yaml


def test_ministries_by_id_with_their_rules(config_dir: Path) -> None:
    ministries = load_ministries(config_dir)
    assert "health" in ministries and "spaceflight" not in ministries
    health = ministries.get("health")
    assert (health.second_approval, health.cap_sender) == (True, "alerts@health.kalima.example")
    assert ministries.get("meteo").second_approval is False
    with pytest.raises(KeyError):
        ministries.get("spaceflight")


def test_a_ministry_without_its_rules_or_no_ministry_at_all_is_refused(config_copy: Path) -> None:
    path = config_copy / "catalogue" / "ministries.yml"
    edit_yaml(path, lambda data: data["ministries"]["water"].pop("cap_sender"))
    with pytest.raises(DataFileError, match="ministry water lacks 'cap_sender'"):
        load_ministries(config_copy)
    edit_yaml(path, lambda data: data.update(ministries={}))
    with pytest.raises(DataFileError, match="no ministries"):
        load_ministries(config_copy)
