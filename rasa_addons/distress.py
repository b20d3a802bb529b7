"""Danger is never left to a model: an NLU component that turns a message signalling violence,
self-harm or a medical emergency, in any supported language, into the ``distress`` intent.

The phrases are data (``config/catalogue/distress/<lang>.yml``, :mod:`bot.handoff.distress`); every
language's are searched, since citizens mix languages. The intent's action hands the conversation to
a person at the front of the queue and shows the emergency number first (``actions/handover.py``).
It runs after every other classifier, so no other override (a crisis question, a report) hides it.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.handoff.distress import DistressWords, load_distress_words
from bot.i18n.languages import load_languages
from bot.settings import load_settings
from rasa_addons.component import ConfiguredComponent, force_intent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DistressClassifier(ConfiguredComponent):
    """Overrides the intent of a message that signals danger."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The intent a message in danger gets."""
        return {"intent": "distress"}

    def __init__(self, config: dict[str, Any], words: DistressWords) -> None:
        self._intent = str(config["intent"])
        self._words = words

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> DistressClassifier:
        """Read the phrases of every language (at model load, not at import)."""
        config_dir = load_settings().config_dir
        codes = [language.code for language in load_languages(config_dir).languages]
        return cls(config, load_distress_words(config_dir, codes))

    def process(self, messages: list[Message]) -> list[Message]:
        """Set the distress intent on messages that signal danger (typed words, not button payloads)."""
        for message in messages:
            text = str(message.get(TEXT) or "")
            if not text.startswith("/") and self._words.detect(text) is not None:
                force_intent(message, self._intent)
        return messages
