"""Intents that start something long or irreversible need stronger evidence than the others.

"Delete my data", unsubscribing, starting a report, saying goodbye and switching language act on the
conversation. A message the classifier gives one of them is let through only with enough confidence
(per intent, ``config.yml``) and a cue word of that intent in any language (``intent_cues`` in
``config/locales/<lang>.yml``; a language's name for switching). Otherwise it becomes
``nlu_fallback``: the assistant asks again and offers its menu rather than act on a guess ("Barça or
Real?" once said goodbye; a football question opened "delete my data").

Buttons and forced intents (STOP, a ticket reference: confidence 1.0) are left alone.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.catalogue.bundle import load_catalogues
from bot.phrases import cues_found
from bot.settings import load_settings
from rasa_addons.component import ConfiguredComponent, force_intent

FALLBACK = "nlu_fallback"


def has_cue(text: str, cues: frozenset[str]) -> bool:
    """Whether folded ``text`` holds a cue: a word starting with a one-word cue, or a cue phrase."""
    return bool(cues_found(text, cues))


def acts_on(
    intent: str, confidence: float, text: str, thresholds: dict[str, float], cues: dict[str, frozenset[str]]
) -> bool:
    """Whether a message classified ``intent`` with ``confidence`` may be acted on."""
    if intent not in thresholds or confidence >= 1.0 or text.startswith("/"):
        return True
    if confidence < thresholds[intent]:
        return False
    wanted = cues.get(intent)
    return not wanted or has_cue(text, wanted)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CautiousIntentGate(ConfiguredComponent):
    """Turns an unsure guess of an acting intent into ``nlu_fallback``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No intent is guarded unless ``config.yml`` says so."""
        return {"require": {}}

    def __init__(self, config: dict[str, Any], cues: dict[str, frozenset[str]]) -> None:
        self._thresholds = {str(k): float(v) for k, v in (config.get("require") or {}).items()}
        self._cues = cues

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> CautiousIntentGate:
        """Read every language's cue words (at model load, not at import)."""
        return cls(config, load_catalogues(load_settings().config_dir).locales.intent_cues())

    def process(self, messages: list[Message]) -> list[Message]:
        """Send unsure acting intents to the fallback."""
        for message in messages:
            intent = message.get(INTENT) or {}
            name = str(intent.get(INTENT_NAME_KEY) or "")
            confidence = float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            if not acts_on(name, confidence, str(message.get(TEXT) or ""), self._thresholds, self._cues):
                force_intent(message, FALLBACK, confidence)
        return messages
