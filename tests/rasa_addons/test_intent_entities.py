"""The intent-entity filter drops lookup matches no action reads, and never what the data teaches."""

from __future__ import annotations

from typing import Any

import yaml
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from bot.settings import PROJECT_ROOT
from rasa_addons.intent_entities import IntentEntityFilter


def _config() -> dict[str, Any]:
    pipeline = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    [component] = [c for c in pipeline if c["name"].endswith("IntentEntityFilter")]
    return component


def _message(intent: str, *entities: tuple[str, str]) -> Message:
    return Message(
        {
            TEXT: "...",
            INTENT: {"name": intent, "confidence": 0.9},
            ENTITIES: [{"entity": e, "value": v, "start": 0, "end": 1} for e, v in entities],
        }
    )


def test_entities_no_action_reads_are_dropped() -> None:
    component = IntentEntityFilter(_config())
    thanks = _message("thank", ("crisis_topic", "help"))  # "great, thanks for the help"
    report = _message("report_concern", ("alert_topic", "health"), ("crisis_topic", "help"))
    subscribe = _message(
        "subscribe_alerts", ("region", "coast"), ("alert_topic", "weather"), ("service", "x")
    )
    component.process([thanks, report, subscribe])
    assert thanks.get(ENTITIES) == [] and report.get(ENTITIES) == []
    assert [(e["entity"], e["value"]) for e in subscribe.get(ENTITIES)] == [
        ("region", "coast"),
        ("alert_topic", "weather"),
    ]


def test_every_entity_the_training_data_teaches_for_an_intent_is_kept() -> None:
    kept = IntentEntityFilter(_config()).kept
    taught: set[tuple[str, str]] = set()
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        for example in load_data(str(path)).intent_examples:
            taught.update((example.get(INTENT), e["entity"]) for e in example.get(ENTITIES) or [])
    assert taught, "the training data annotates entities"
    assert {(intent, entity) for intent, entity in taught if entity not in kept.get(intent, ())} == set()


def test_the_filter_names_only_intents_and_entities_of_the_domain() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}
    kept = IntentEntityFilter(_config()).kept
    assert set(kept) <= intents
    assert set().union(*kept.values()) <= set(domain["entities"])
