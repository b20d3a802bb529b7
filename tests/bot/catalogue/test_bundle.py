"""Editing a catalogue changes answers without a restart or retraining."""

import shutil
import time
from pathlib import Path

import yaml

from bot.catalogue.bundle import LiveCatalogues


def _set_fee(path: Path, text: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["services"]["passport"]["fee"] = text
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_edits_are_picked_up_and_broken_edits_ignored(tmp_path: Path, config_dir: Path) -> None:
    config = tmp_path / "config"
    shutil.copytree(config_dir, config)
    live = LiveCatalogues(config, check_every=0.0)
    english = config / "catalogue" / "services" / "en.yml"
    before = live.current().services.text("passport", "en").answer("fee")
    _set_fee(english, "From today: 6000, 9000 or 4000 KLS extra, payable by mobile money.")
    time.sleep(0.01)
    english.touch()
    assert live.current().services.text("passport", "en").answer("fee").endswith("mobile money.")
    assert before != live.current().services.text("passport", "en").answer("fee")
    english.write_text("services: [not, a, mapping", encoding="utf-8")
    assert live.current().services.text("passport", "en").answer("fee").endswith("mobile money.")
