"""Danger in any language is the distress intent, whatever the classifier thought; buttons never are."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_addons.distress import DistressClassifier


@pytest.fixture(scope="module")
def classifier() -> DistressClassifier:
    return DistressClassifier.from_config(DistressClassifier.get_default_config())


def _intent(classifier: DistressClassifier, text: str) -> str:
    message = Message(data={TEXT: text, INTENT: {"name": "report_concern", "confidence": 0.8}})
    classifier.process([message])
    return str(message.get(INTENT)["name"])


@pytest.mark.parametrize("language", ["en", "fr", "es", "pt", "sw", "ar"])
def test_every_phrase_of_every_language_is_distress(
    classifier: DistressClassifier, config_dir: Path, language: str
) -> None:
    words = yaml.safe_load((config_dir / "catalogue" / "distress" / f"{language}.yml").read_text("utf-8"))
    for kind, phrases in words.items():
        for phrase in phrases:
            assert _intent(classifier, f"please help, {phrase}") == "distress", (kind, phrase)


def test_ordinary_messages_and_payloads_keep_their_intent(classifier: DistressClassifier) -> None:
    assert _intent(classifier, "the road to the clinic is broken") == "report_concern"
    assert _intent(classifier, '/report_concern{"text":"suicide"}') == "report_concern"
