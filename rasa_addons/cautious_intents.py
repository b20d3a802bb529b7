"""Intents that start something long or irreversible need stronger evidence than the others.

"Delete my data", unsubscribing, starting a report, saying goodbye and switching language act on the
conversation. A message the classifier gives one of them is let through only with enough confidence
(per intent, ``config.yml``) and a cue word of that intent in any language (``intent_cues`` in
``config/locales/<lang>.yml``; a language's name for switching). Otherwise it becomes
``nlu_fallback``: the assistant asks again and offers its menu rather than act on a guess ("Barça or
Real?" once said goodbye; a football question opened "delete my data").

A report is told ("the clinic has no medicine") and needs no cue; a report guessed for a message put
as a question or a request (``cue_when_asked``; ``question_words`` and ``request_openings`` in the
locales) needs one ("how do I make a complaint?"), for a question with none ("Je suis enceinte...,
devrais-je y aller ?") asks something else, and a request with none ("أريد أن أتناول طعاما في مطعم")
wants something else.

A cue can be about something else: "cancel tomorrow's reminders" cancels, but no subscription; "delete
my Instagram account" deletes, but not the citizen's data here; "how do you say bye in Japanese" says
no goodbye; "put my phone in English" changes a phone's language, not the conversation's; "I want to
complain about the airline" is no concern for a ministry. The words that say so
(``intent_cue_exceptions`` in the locales: reminders, appointments, orders, other apps, companies and
shops, a phone's settings, "how do you say"...; every language's apply to every language) make the
assistant ask instead of acting.

Buttons and forced intents (STOP, a ticket reference: confidence 1.0) are left alone.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.catalogue.bundle import load_catalogues
from bot.phrases import asks, cues_found
from bot.settings import load_settings
from rasa_addons.component import ConfiguredComponent, force_intent

FALLBACK = "nlu_fallback"


def has_cue(text: str, cues: frozenset[str]) -> bool:
    """Whether folded ``text`` holds a cue: a word starting with a one-word cue, or a cue phrase."""
    return bool(cues_found(text, cues))


def acts_on(
    intent: str,
    confidence: float,
    text: str,
    thresholds: dict[str, float],
    cues: dict[str, frozenset[str]],
    *,
    asked: bool = False,
    cue_when_asked: frozenset[str] = frozenset(),
    exceptions: dict[str, frozenset[str]] | None = None,
) -> bool:
    """Whether a message classified ``intent`` with ``confidence`` may be acted on; ``asked``: the
    message is put as a question, for the intents that need their cue only then."""
    if intent not in thresholds or confidence >= 1.0 or text.startswith("/"):
        return True
    if confidence < thresholds[intent]:
        return False
    if exceptions and intent in exceptions and has_cue(text, exceptions[intent]):
        return False
    if intent in cue_when_asked and not asked:
        return True
    wanted = cues.get(intent)
    return not wanted or has_cue(text, wanted)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CautiousIntentGate(ConfiguredComponent):
    """Turns an unsure guess of an acting intent into ``nlu_fallback``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No intent is guarded unless ``config.yml`` says so."""
        return {"require": {}, "cue_when_asked": []}

    def __init__(
        self,
        config: dict[str, Any],
        cues: dict[str, frozenset[str]],
        openings: frozenset[str] = frozenset(),
        exceptions: dict[str, frozenset[str]] | None = None,
    ) -> None:
        self._exceptions = exceptions or {}
        self._thresholds = {str(k): float(v) for k, v in (config.get("require") or {}).items()}
        self._cues = cues
        self._cue_when_asked = frozenset(str(i) for i in config.get("cue_when_asked") or ())
        self._openings = openings

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> CautiousIntentGate:
        """Read every language's cue words (at model load, not at import)."""
        locales = load_catalogues(load_settings().config_dir).locales
        openings = locales.question_words() | locales.request_openings()
        return cls(config, locales.intent_cues(), openings, locales.intent_cue_exceptions())

    def process(self, messages: list[Message]) -> list[Message]:
        """Send unsure acting intents to the fallback."""
        for message in messages:
            intent = message.get(INTENT) or {}
            name = str(intent.get(INTENT_NAME_KEY) or "")
            confidence = float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            text = str(message.get(TEXT) or "")
            asked = name in self._cue_when_asked and asks(text, self._openings)
            if not acts_on(
                name,
                confidence,
                text,
                self._thresholds,
                self._cues,
                asked=asked,
                cue_when_asked=self._cue_when_asked,
                exceptions=self._exceptions,
            ):
                force_intent(message, FALLBACK, confidence)
        return messages
