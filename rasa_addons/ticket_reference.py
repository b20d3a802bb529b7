"""A ticket reference in a short message means "what is the status of this ticket?", in any language.

"¿estado de k7p2qx?", "hali ya K7P2QX", "K7P2QX": the reference (six characters of the ticket alphabet,
with digits) is what matters, and the statistical classifier cannot know every way of asking around
it. A message of at most ``max_words`` words that contains one gets the status intent.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.concerns.ticket import find_ticket
from rasa_addons.component import ConfiguredComponent, force_intent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TicketReferenceClassifier(ConfiguredComponent):
    """Sets the status intent on short messages carrying a ticket reference."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The intent, and the longest message it applies to."""
        return {"intent": "check_concern_status", "max_words": 12}

    def __init__(self, config: dict[str, Any]) -> None:
        self._intent = str(config["intent"])
        self._max_words = int(config["max_words"])

    def process(self, messages: list[Message]) -> list[Message]:
        """Set the status intent where a reference appears."""
        for message in messages:
            text = str(message.get(TEXT) or "")
            if text.startswith("/") or len(text.split()) > self._max_words or find_ticket(text) is None:
                continue
            force_intent(message, self._intent)
        return messages
