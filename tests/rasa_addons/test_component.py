"""The base of Baraza's NLU components: built from the config entry alone; a forced intent is certain."""

from __future__ import annotations

from typing import Any

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_addons.component import ConfiguredComponent, force_intent


class Remembering(ConfiguredComponent):
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config


def test_rasa_builds_the_component_from_its_config_entry() -> None:
    built = Remembering.create({"intent": "x"}, None, None, None)  # type: ignore[arg-type]
    assert isinstance(built, Remembering) and built.config == {"intent": "x"}


def test_a_forced_intent_replaces_the_prediction_and_its_ranking() -> None:
    message = Message(
        {
            TEXT: "stop",
            INTENT: {"name": "greet", "confidence": 0.4},
            INTENT_RANKING_KEY: [{"name": "greet", "confidence": 0.4}, {"name": "deny", "confidence": 0.3}],
        }
    )
    force_intent(message, "unsubscribe_alerts")
    assert message.get(INTENT) == {"name": "unsubscribe_alerts", "confidence": 1.0}
    assert message.get(INTENT_RANKING_KEY) == [{"name": "unsubscribe_alerts", "confidence": 1.0}]
    assert "intent" in message.as_dict(only_output_properties=True)


def test_a_forced_intent_may_keep_the_models_confidence() -> None:
    message = Message({TEXT: "bye?", INTENT: {"name": "goodbye", "confidence": 0.55}})
    force_intent(message, "nlu_fallback", 0.55)
    assert message.get(INTENT) == {"name": "nlu_fallback", "confidence": 0.55}
