"""Entity values from the catalogues, per entity type (instead of Rasa's global synonym table).

Rasa's ``EntitySynonymMapper`` maps a surface form to one value whatever the entity: "flood" cannot
mean the *shelters* crisis topic and the *weather* alert topic at once, so one of them would always
be wrong. This component maps each extracted entity by its own table, built from the same catalogue
data as the lookup tables (``bot.nlu_lookups.surfaces``), so every form the lookups find has a value.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE
from rasa.shared.nlu.training_data.message import Message

from bot.catalogue.bundle import load_catalogues
from bot.nlu_lookups import normalise_form, surfaces
from bot.settings import load_settings
from rasa_addons.component import ConfiguredComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class CatalogueEntityMapper(ConfiguredComponent):
    """Replaces each extracted entity's text with its catalogue id, by entity type."""

    def __init__(self, tables: dict[str, dict[str, str]]) -> None:
        self._tables = tables

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> CatalogueEntityMapper:
        """Build the tables from the catalogues (at model load, not at import)."""
        return cls(surfaces(load_catalogues(load_settings().config_dir)))

    def process(self, messages: list[Message]) -> list[Message]:
        """Set catalogue ids as entity values."""
        for message in messages:
            entities = [dict(entity) for entity in message.get(ENTITIES, [])]
            for entity in entities:
                table = self._tables.get(str(entity.get(ENTITY_ATTRIBUTE_TYPE)), {})
                value = table.get(normalise_form(str(entity.get(ENTITY_ATTRIBUTE_VALUE, ""))))
                if value is not None:
                    entity[ENTITY_ATTRIBUTE_VALUE] = value
                    entity.setdefault("processors", []).append(self.__class__.__name__)
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
