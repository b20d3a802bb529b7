"""``rasa data validate`` that knows ``EXTERNAL_*`` intents are never typed, so have no examples."""

from __future__ import annotations

import warnings
from pathlib import Path

from rasa.shared.importers.importer import TrainingDataImporter
from rasa.validator import Validator

from rasa_addons.validate_data import BarazaValidator


def _importer(tmp_path: Path) -> TrainingDataImporter:
    (tmp_path / "config.yml").write_text("recipe: default.v1\nlanguage: en\npipeline: []\npolicies: []\n")
    (tmp_path / "domain.yml").write_text(
        'version: "3.1"\nintents: [greet, goodbye, EXTERNAL_alert]\nresponses:\n  utter_hi: [{text: hi}]\n'
    )
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "nlu.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hello\n    - hi there\n'
    )
    return TrainingDataImporter.load_from_config(
        config_path=str(tmp_path / "config.yml"),
        domain_path=str(tmp_path / "domain.yml"),
        training_data_paths=[str(tmp_path / "data")],
    )


def _warnings(validator: Validator) -> str:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validator.verify_intents(ignore_warnings=False)
    return " ".join(str(w.message) for w in caught)


def test_only_external_intents_are_spared_the_missing_examples_warning(tmp_path: Path) -> None:
    importer = _importer(tmp_path)
    assert "'EXTERNAL_alert'" in _warnings(Validator.from_importer(importer))  # Rasa's own validator
    ours = _warnings(BarazaValidator.from_importer(importer))
    assert "'EXTERNAL_alert'" not in ours
    assert "'goodbye'" in ours  # an ordinary intent without examples is still reported
