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

Four refinements, chosen on the public dev set (``bench/real``):

- a guess in ``ask_only`` (starting a report) gives way only to a message put as a question
  (:func:`bot.phrases.asks`) or telling of one's own symptoms (``told``: "it all started with the
  headaches and the fever"): "the clinic has no medicine" is a report, however close to the
  knowledge base's "where can I get medicine" its letters are; a question naming an entry gives
  way from ``ask_threshold``, lower than the others' because long questions ("Je suis enceinte et
  je dois prendre des prises de sang... devrais-je y aller ?") are alike in few of their letters;
- a service question that names no service ("Le port du masque est requis pour tous ?", "How do I
  know if I have been infected?") gives way to an entry the message names (a keyword) from
  ``service_threshold``, if the entry is of one of ``service_hazards`` (COVID-19: relief aid and
  help are services themselves);
- a message shorter than ``min_words`` that is an entry's keyword itself ("mascara", "vaccin")
  replaces the guesses in ``overrides``;
- a guess in ``weighed`` (out of scope) gives way only to a match the closer, the surer the
  classifier was: ``threshold`` plus ``weigh_slope`` times its confidence above ``weigh_from``. A
  general question is alike in letters to a knowledge base question as often as a crisis question
  the classifier missed ("what's the status of my airline flight", "À quelle distance se trouve la
  Lune ?"), but the classifier is surer of it.
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

from bot.assistant.crisis_meaning import default_detector
from bot.catalogue.bundle import LiveCatalogues
from bot.catalogue.crisis import CrisisGuide, CrisisMatch
from bot.crisis_detector import CrisisDetector
from bot.phrases import asks
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
            "ask_only": [],
            "ask_threshold": 1.1,  # off unless configured
            "told": [],
            "service_intents": [],
            "service_threshold": 1.1,  # off unless configured
            "service_hazards": [],
            "exact_keyword": 1.1,  # off unless configured
            "weighed": [],
            "weigh_from": 1.0,
            "weigh_slope": 0.0,  # off unless configured
            "detector_intents": [],
            "detector_from": 1.1,  # off unless configured
            "detector_threshold": 1.1,
        }

    def __init__(
        self,
        config: dict[str, Any],
        catalogues: LiveCatalogues,
        openings: frozenset[str] = frozenset(),
        detector: CrisisDetector | None = None,
    ) -> None:
        self._threshold = float(config["threshold"])
        self._ask_only = frozenset(str(i) for i in config.get("ask_only") or ())
        self._ask_threshold = float(config.get("ask_threshold", 1.1))
        self._told = frozenset(str(i) for i in config.get("told") or ())
        self._service_intents = frozenset(str(i) for i in config.get("service_intents") or ())
        self._service_threshold = float(config.get("service_threshold", 1.1))
        self._service_hazards = frozenset(str(h) for h in config.get("service_hazards") or ())
        self._exact_keyword = float(config.get("exact_keyword", 1.1))
        self._openings = openings
        self._overrides = frozenset(str(i) for i in config.get("overrides") or ())
        self._unsure_below = float(config["unsure_below"])
        self._min_words = int(config["min_words"])
        self._near_copy = float(config.get("near_copy", 1.1))
        self._keep = frozenset(str(i) for i in config.get("keep") or ())
        self._weighed = frozenset(str(i) for i in config.get("weighed") or ())
        self._weigh_from = float(config.get("weigh_from", 1.0))
        self._weigh_slope = float(config.get("weigh_slope", 0.0))
        self._detector_intents = frozenset(str(i) for i in config.get("detector_intents") or ())
        self._detector_from = float(config.get("detector_from", 1.1))
        self._detector_threshold = float(config.get("detector_threshold", 1.1))
        self._detector = detector
        self._catalogues = catalogues

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> CrisisQuestionClassifier:
        """Follow the catalogues (read at model load, reloaded when edited)."""
        live = LiveCatalogues(load_settings().config_dir)
        return cls(config, live, live.current().locales.question_words(), default_detector())

    def process(self, messages: list[Message]) -> list[Message]:
        """Make close crisis questions ``ask_crisis`` with their topic."""
        guide = self._catalogues.current().crisis
        for message in messages:
            text = str(message.get(TEXT) or "")
            guess = message.get(INTENT) or {}
            intent = str(guess.get(INTENT_NAME_KEY) or "")
            confidence = float(guess.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            if confidence >= 1.0 or not text or text.startswith("/"):
                continue
            match = guide.match(text)
            if match is None or not self._replaces(text, intent, confidence, match, message, guide):
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

    def _replaces(
        self,
        text: str,
        intent: str,
        confidence: float,
        match: CrisisMatch,
        message: Message,
        guide: CrisisGuide,
    ) -> bool:
        """Whether the knowledge base's ``match`` takes the place of the classifier's guess."""
        words = len(text.split())
        if intent in self._ask_only:
            asked = asks(text, self._openings)
            if not (asked or match.topic_id in self._told):
                return False
            if match.named and match.score >= self._ask_threshold:
                return True  # a question naming an entry, or one's symptoms, is no report, even long
        if match.score >= self._threshold + self._raised_by(intent, confidence):
            # a short message ("habari", "a plus") replaces only an unsure guess: few letters, weak evidence
            if (intent in self._overrides and words >= self._min_words) or confidence < self._unsure_below:
                return True
            if words >= self._min_words and match.named and self._near_copy_of(match.score, intent, message):
                return True
        if match.named and not _names_a_service(message):
            if (
                intent in self._service_intents
                and match.score >= self._service_threshold
                and guide.entry(match.topic_id).hazard in self._service_hazards
            ):
                return True
            if intent in self._overrides and words < self._min_words and match.score >= self._exact_keyword:
                return True
        return self._detected(text, intent, match)

    def _detected(self, text: str, intent: str, match: CrisisMatch) -> bool:
        """The crisis detector's opinion (:mod:`bot.crisis_detector`), asked only for a guess in
        ``detector_intents`` (out of scope) whose letters are close to a crisis question (from
        ``detector_from``): "Est-ce qu'il existe un médicament efficace contre le Covid-19 ?"."""
        detector = self._detector
        if detector is None or intent not in self._detector_intents or match.score < self._detector_from:
            return False
        return detector.probability(text) >= self._detector_threshold

    def _raised_by(self, intent: str, confidence: float) -> float:
        """How much closer than ``threshold`` a message must be to replace a guess in ``weighed``: the
        surer the classifier that a message is out of scope, the closer to a knowledge base question
        it must be ("what's the status of my airline flight" is 0.65 like "can I travel by plane")."""
        if intent not in self._weighed:
            return 0.0
        return self._weigh_slope * max(0.0, confidence - self._weigh_from)

    def _near_copy_of(self, score: float, intent: object, message: Message) -> bool:
        """Whether a confident guess gives way: the message nearly copies a knowledge base question
        (and names its entry: see :attr:`CrisisMatch.named`), names no service, and the guess is not
        one to keep."""
        return score >= self._near_copy and not _names_a_service(message) and intent not in self._keep


def _names_a_service(message: Message) -> bool:
    return any(e.get(ENTITY_ATTRIBUTE_TYPE) == SERVICE_ENTITY for e in message.get(ENTITIES, []))
