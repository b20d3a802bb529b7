"""A question about shelters is one, whatever the classifier guessed."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.catalogue.bundle import Catalogues
from rasa_addons.shelter_questions import ShelterQuestionClassifier


def _classifier(catalogues: Catalogues) -> ShelterQuestionClassifier:
    live = SimpleNamespace(current=lambda: catalogues)
    return ShelterQuestionClassifier(ShelterQuestionClassifier.get_default_config(), live)  # type: ignore[arg-type]


def _message(text: str, intent: str, confidence: float = 0.8) -> Message:
    found = [{"entity": "region", "value": "coast", "start": 0, "end": 1}]
    return Message({TEXT: text, INTENT: {"name": intent, "confidence": confidence}, ENTITIES: found})


def _decided(message: Message) -> tuple[Any, list[tuple[Any, Any]]]:
    return message.get(INTENT)["name"], [(e["entity"], e["value"]) for e in message.get(ENTITIES)]


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        ("Y a-t-il un abri à Bandari ?", "ask_alerts"),
        ("¿Hay un refugio en Bandari?", "ask_alerts"),
        ("Há algum abrigo em Bandari?", "ask_alerts"),
        ("Kuna makazi Bandari?", "inform"),
    ],
)
def test_a_shelter_question_taken_for_alerts_or_a_place_asks_for_shelters(
    catalogues: Catalogues, text: str, guess: str
) -> None:
    message = _message(text, guess)
    _classifier(catalogues).process([message])
    assert _decided(message) == ("ask_crisis", [("region", "coast"), ("crisis_topic", "shelters")])


def test_other_intents_and_rule_decisions_are_kept(catalogues: Catalogues) -> None:
    subscribe = _message("alerts about shelters in Bandari please", "subscribe_alerts", 0.9)
    rule = _message("Kuna makazi Bandari?", "inform", 1.0)
    alerts = _message("alerts for Bandari", "ask_alerts")
    _classifier(catalogues).process([subscribe, rule, alerts])
    assert [_decided(m)[0] for m in (subscribe, rule, alerts)] == ["subscribe_alerts", "inform", "ask_alerts"]
