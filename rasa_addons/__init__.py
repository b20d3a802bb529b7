"""Baraza's extensions of Rasa itself (not of the conversation): an NLU component and a data check.

Like ``actions/`` and ``bot/channels/``, this is Rasa glue; the domain logic it uses lives in ``bot/``.
"""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message


def force_intent(message: Message, intent: str) -> None:
    """Give ``message`` ``intent`` with full confidence (rules that must not depend on a model)."""
    decided = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
    message.set(INTENT, decided, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [decided], add_to_output=True)
