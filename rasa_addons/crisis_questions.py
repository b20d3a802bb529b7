"""A question like one of the crisis knowledge base's is a crisis question, whatever the classifier
guessed: "Ma fille a de la fièvre" once got "Au revoir !".

The knowledge base's question variants (``config/catalogue/crisis/<lang>.yml``) are compared with the
message (:meth:`bot.catalogue.crisis.CrisisGuide.match`); above ``threshold`` the message becomes
``ask_crisis`` with the matched topic when the classifier's guess is one that a crisis question is
often mistaken for (``overrides``: small talk, out of scope, the acting intents) or an unsure one
(below ``unsure_below``). A confident service or alerts question keeps its intent ("What papers do I
need for the passport?" is close in letters to "What papers do I need for relief aid?"), unless the
message is a near copy of a knowledge base question or keyword (``near_copy``: "Is it airborne",
"what is social distancing?"), of ``min_words`` or more, and names no service; the intents in
``keep`` (asking for the menu or a person: "help me" is also the knowledge base's help entry) are
never replaced that way. A rule's decision (STOP, a ticket reference: confidence 1.0) is never
changed. The catalogues are followed live, so a new question variant takes effect without
retraining.
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

from bot.catalogue.bundle import LiveCatalogues
from bot.settings import load_settings
from rasa_addons.component import ConfiguredComponent, force_intent

INTENT_NAME = "ask_crisis"
ENTITY = "crisis_topic"
SERVICE_ENTITY = "service"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisQuestionClassifier(ConfiguredComponent):
    """Routes messages close to a knowledge base question to the crisis answer."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """How similar to a known question a message must be (0 to 1), and which guesses it replaces."""
        return {
            "threshold": 0.6,
            "overrides": [],
            "unsure_below": 0.5,
            "min_words": 3,
            "near_copy": 1.1,  # off unless configured
            "keep": [],
        }

    def __init__(self, config: dict[str, Any], catalogues: LiveCatalogues) -> None:
        self._threshold = float(config["threshold"])
        self._overrides = frozenset(str(i) for i in config.get("overrides") or ())
        self._unsure_below = float(config["unsure_below"])
        self._min_words = int(config["min_words"])
        self._near_copy = float(config.get("near_copy", 1.1))
        self._keep = frozenset(str(i) for i in config.get("keep") or ())
        self._catalogues = catalogues

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> CrisisQuestionClassifier:
        """Follow the catalogues (read at model load, reloaded when edited)."""
        return cls(config, LiveCatalogues(load_settings().config_dir))

    def process(self, messages: list[Message]) -> list[Message]:
        """Make close crisis questions ``ask_crisis`` with their topic."""
        guide = self._catalogues.current().crisis
        for message in messages:
            text = str(message.get(TEXT) or "")
            guess = message.get(INTENT) or {}
            confidence = float(guess.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            # a short message ("habari", "a plus") replaces only an unsure guess: few letters, weak evidence
            overridable = (
                guess.get(INTENT_NAME_KEY) in self._overrides and len(text.split()) >= self._min_words
            )
            replaceable = overridable or confidence < self._unsure_below
            if confidence >= 1.0 or not text or text.startswith("/"):
                continue
            match = guide.match(text)
            if match is None or match.score < self._threshold:
                continue
            near_copy = (
                len(text.split()) >= self._min_words
                and match.named
                and self._near_copy_of(match.score, guess.get(INTENT_NAME_KEY), message)
            )
            if not replaceable and not near_copy:
                continue
            force_intent(message, INTENT_NAME, match.score)
            entities = [e for e in message.get(ENTITIES, []) if e.get(ENTITY_ATTRIBUTE_TYPE) != ENTITY]
            entities.append(
                {
                    ENTITY_ATTRIBUTE_TYPE: ENTITY,
                    ENTITY_ATTRIBUTE_VALUE: match.topic_id,
                    "start": 0,
                    "end": len(text),
                    "value": match.topic_id,
                    "extractor": self.__class__.__name__,
                }
            )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def _near_copy_of(self, score: float, intent: object, message: Message) -> bool:
        """Whether a confident guess gives way: the message nearly copies a knowledge base question
        (and names its entry: see :attr:`CrisisMatch.named`), names no service, and the guess is not
        one to keep."""
        names_a_service = any(
            e.get(ENTITY_ATTRIBUTE_TYPE) == SERVICE_ENTITY for e in message.get(ENTITIES, [])
        )
        return score >= self._near_copy and not names_a_service and intent not in self._keep
