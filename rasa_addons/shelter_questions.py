"""A question about shelters is one, whatever the classifier guessed: "Y a-t-il un abri à Bandari ?"
was taken for a question about the alerts of the coast, "Kuna makazi Bandari?" for a lone place name.

A message that speaks of a shelter (the ``words`` of ``config/catalogue/shelters/<lang>.yml``) and names
a region, or that is closest to the knowledge base's shelter entry, becomes ``ask_crisis`` about
``shelters`` when the classifier's guess is one a shelter question is mistaken for (``overrides``) or an
unsure one; the crisis action then lists the open shelters of the region (:mod:`bot.assistant.shelters`).
A rule's decision (confidence 1.0) is never changed. The catalogues are followed live.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    INTENT,
    INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.assistant.shelters import SHELTERS_TOPIC, is_shelter_question
from bot.catalogue.bundle import LiveCatalogues
from bot.settings import load_settings
from rasa_addons.component import ConfiguredComponent, force_intent
from rasa_addons.crisis_questions import ENTITY, INTENT_NAME


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ShelterQuestionClassifier(ConfiguredComponent):
    """Routes shelter questions to the crisis answer about shelters."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The guesses it replaces, and below which confidence any guess is replaced."""
        return {"overrides": ["ask_crisis", "ask_alerts", "inform", "out_of_scope"], "unsure_below": 0.4}

    def __init__(self, config: dict[str, Any], catalogues: LiveCatalogues) -> None:
        self._overrides = frozenset(str(i) for i in config.get("overrides") or ())
        self._unsure_below = float(config["unsure_below"])
        self._catalogues = catalogues

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> ShelterQuestionClassifier:
        """Follow the catalogues (read at model load, reloaded when edited)."""
        return cls(config, LiveCatalogues(load_settings().config_dir))

    def process(self, messages: list[Message]) -> list[Message]:
        """Make shelter questions ``ask_crisis`` about shelters."""
        catalogues = self._catalogues.current()
        for message in messages:
            text = str(message.get(TEXT) or "")
            guess = message.get(INTENT) or {}
            confidence = float(guess.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            replaceable = guess.get(INTENT_NAME_KEY) in self._overrides or confidence < self._unsure_below
            if confidence >= 1.0 or not replaceable or not text or text.startswith("/"):
                continue
            if not is_shelter_question(catalogues, text):
                continue
            force_intent(message, INTENT_NAME, max(confidence, 0.9))
            entities = [e for e in message.get(ENTITIES, []) if e.get(ENTITY_ATTRIBUTE_TYPE) != ENTITY]
            entities.append(
                {
                    ENTITY_ATTRIBUTE_TYPE: ENTITY,
                    ENTITY_ATTRIBUTE_VALUE: SHELTERS_TOPIC,
                    "start": 0,
                    "end": len(text),
                    "extractor": self.__class__.__name__,
                }
            )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
