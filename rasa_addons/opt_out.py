"""STOP always works: an NLU component that turns an opt-out keyword into the unsubscribe intent.

A message that is nothing but an opt-out word of any supported language ("STOP", "arrêt", "baja",
"sitisha", "توقف"...; ``opt_out_keywords`` in ``config/locales/<lang>.yml``) is classified as
``unsubscribe_alerts`` with full confidence, whatever the statistical classifier thought, so opting
out never depends on a model and works at any point of a conversation. Longer messages are left to
the classifier ("stop the alerts for the coast" names a region).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.assistant.opt_out import OptOutKeywords
from rasa_addons.component import ConfiguredComponent, force_intent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class OptOutKeywordClassifier(ConfiguredComponent):
    """Overrides the intent of a bare opt-out keyword."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The intent an opt-out keyword gets."""
        return {"intent": "unsubscribe_alerts"}

    def __init__(self, config: dict[str, Any], keywords: OptOutKeywords) -> None:
        self._intent = str(config["intent"])
        self._keywords = keywords

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> OptOutKeywordClassifier:
        """Read the keywords of every language (at model load, not at import)."""
        return cls(config, OptOutKeywords.from_config())

    def process(self, messages: list[Message]) -> list[Message]:
        """Set the unsubscribe intent on messages that are an opt-out keyword."""
        for message in messages:
            if self._keywords.matches(str(message.get(TEXT) or "")):
                force_intent(message, self._intent)
        return messages
