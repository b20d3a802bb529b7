"""Entity values by entity type: one surface form may mean different ids for different entities."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_addons.entity_values import CatalogueEntityMapper

TABLES = {
    "crisis_topic": {"flood": "shelters"},
    "alert_topic": {"flood": "weather"},
    "region": {"the coast": "coast"},
}


def _entities(*found: tuple[str, str]) -> Message:
    return Message(
        {TEXT: "...", ENTITIES: [{"entity": e, "value": v, "start": 0, "end": 1} for e, v in found]}
    )


def test_each_entity_gets_the_id_of_its_own_table() -> None:
    message = _entities(("crisis_topic", "Flood"), ("alert_topic", "flood"), ("region", "The  Coast"))
    CatalogueEntityMapper(TABLES).process([message])
    values = [(e["entity"], e["value"]) for e in message.get(ENTITIES)]
    assert values == [("crisis_topic", "shelters"), ("alert_topic", "weather"), ("region", "coast")]
    assert all(e["processors"] == ["CatalogueEntityMapper"] for e in message.get(ENTITIES))


def test_unknown_forms_and_types_are_left_as_extracted() -> None:
    message = _entities(("region", "Atlantis"), ("service", "flood"))
    CatalogueEntityMapper(TABLES).process([message])
    assert [(e["value"], "processors" in e) for e in message.get(ENTITIES)] == [
        ("Atlantis", False),
        ("flood", False),
    ]
