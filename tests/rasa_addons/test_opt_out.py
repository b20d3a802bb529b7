"""STOP always works: a bare opt-out word of any language is the unsubscribe intent."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.assistant.opt_out import OptOutKeywords
from rasa_addons.opt_out import OptOutKeywordClassifier


def _classify(component: OptOutKeywordClassifier, text: str) -> str:
    message = Message({TEXT: text, INTENT: {"name": "greet", "confidence": 0.6}})
    component.process([message])
    return str(message.get(INTENT)["name"])


def test_a_bare_keyword_of_any_language_unsubscribes() -> None:
    component = OptOutKeywordClassifier.from_config(OptOutKeywordClassifier.get_default_config())
    for word in ("STOP", "arrêt", "Sitisha"):
        assert _classify(component, word) == "unsubscribe_alerts", word


def test_longer_messages_are_left_to_the_classifier() -> None:
    component = OptOutKeywordClassifier({"intent": "opt_out"}, OptOutKeywords(frozenset({"stop"})))
    assert _classify(component, "stop") == "opt_out"  # the configured intent
    assert _classify(component, "stop the alerts for the coast") == "greet"
    assert _classify(component, "") == "greet"
