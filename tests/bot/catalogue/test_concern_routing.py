"""Routing concerns to ministries (data), with triage for what no rule covers."""

from pathlib import Path

import pytest
import yaml

from bot.catalogue.bundle import Catalogues
from bot.catalogue.concern_routing import CATEGORIES, TRIAGE, load_routing
from bot.yaml_files import DataFileError


def test_shipped_routing(catalogues: Catalogues) -> None:
    table = catalogues.concern_routing
    assert table.ministry_for("health", "north") == "health"
    assert table.ministry_for("corruption_fraud", "capital") == "anti_corruption"
    assert table.ministry_for("other", "coast") == "disaster"  # a region rule
    assert table.ministry_for("other", "north") == TRIAGE
    assert {table.ministry_for(c, "lakes") for c in CATEGORIES} - {TRIAGE} <= set(
        catalogues.ministries.ministries
    )


def test_bad_rules_are_reported(config_copy: Path, catalogues: Catalogues) -> None:
    path = config_copy / "catalogue" / "concern_routing.yml"
    path.write_text(yaml.safe_dump({"rules": [{"category": "health", "ministry": "ministry_of_magic"}]}))
    with pytest.raises(DataFileError, match="unknown ministry 'ministry_of_magic'"):
        load_routing(config_copy, set(catalogues.ministries.ministries), set(catalogues.regions.regions))
