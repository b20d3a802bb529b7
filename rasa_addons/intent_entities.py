"""Entities only where the intent's action reads them: catalogue lookups match words, not meaning.

The lookup extractor tags every catalogue word it sees: "help" in "thanks for the help" is the
"where to get help" crisis topic, "health" in "a complaint about the health centre" is the health
alert topic, "flood" in "the classrooms flood when it rains" the weather topic. No action reads those
(the action of ``thank`` reads no entity, the concern form reads only a region), but they are noise in
every conversation's record and in the NLU figures. This component keeps, for each message, only the
entity types that the action of its intent reads (``entities`` in ``config.yml``, checked against the
training data and the actions by tests/rasa_addons/test_intent_entities.py); others are dropped.
Actions that read a region or service also look for it in the text themselves, so nothing a citizen
says is lost when the intent was misread.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message

from rasa_addons.component import ConfiguredComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class IntentEntityFilter(ConfiguredComponent):
    """Drops the entities that the predicted intent's action does not read."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Intent name -> the entity types its action reads (unlisted intents read none)."""
        return {"entities": {}}

    def __init__(self, config: dict[str, Any]) -> None:
        self.kept: dict[str, frozenset[str]] = {
            str(intent): frozenset(str(entity) for entity in entities or ())
            for intent, entities in (config.get("entities") or {}).items()
        }

    def process(self, messages: list[Message]) -> list[Message]:
        """Keep the entities the message's intent uses."""
        for message in messages:
            entities = message.get(ENTITIES) or []
            if not entities:
                continue
            intent = str((message.get(INTENT) or {}).get(INTENT_NAME_KEY) or "")
            wanted = self.kept.get(intent, frozenset())
            message.set(ENTITIES, [e for e in entities if e.get("entity") in wanted], add_to_output=True)
        return messages
