"""The contract of pushed actions with the delivery worker: remember a delivery when it ends for good,
show it once, never when it was typed, and not remember it when a store is down (the worker retries)."""

from __future__ import annotations

import pytest
import redis
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError

from actions.pushed import NOTHING_TO_SHOW, PushedAction
from actions.turn import Turn
from bot.catalogue.bundle import Catalogues
from tests.actions.conftest import make_tracker, run_action, slot_events


class Shout(PushedAction):
    """Shows the pushed reference, or fails like a store that is down."""

    intent = "EXTERNAL_shout"

    def __init__(self, failure: Exception | None = None) -> None:
        self.failure = failure
        self.shown: list[str] = []

    def name(self) -> str:
        return "action_shout"

    def deliver(
        self, dispatcher: CollectingDispatcher, turn: Turn, catalogues: Catalogues
    ) -> list[EventType]:
        if self.failure:
            raise self.failure
        self.shown.append(turn.entities["ref"])
        dispatcher.utter_message(text=f"shout {turn.entities['ref']}")
        return [SlotSet("last_shout", turn.entities["ref"])]


def _push(delivery_id: str, seen: list[str] | None = None, text: str = "EXTERNAL: EXTERNAL_shout") -> object:
    entities = {"ref": "r1", "delivery_id": delivery_id}
    return make_tracker(text, "EXTERNAL_shout", entities, slots={"delivered_alerts": seen or []})


def test_a_delivery_is_shown_and_remembered_with_the_actions_events() -> None:
    action = Shout()
    messages, events = run_action(action, _push("r1:shout:rest:test", seen=["older"]))
    assert [m["text"] for m in messages] == ["shout r1"] and action.shown == ["r1"]
    assert events[0] == SlotSet("delivered_alerts", ["older", "r1:shout:rest:test"])
    assert slot_events(events)["last_shout"] == "r1"


def test_the_same_delivery_twice_shows_nothing_the_second_time() -> None:
    action = Shout()
    messages, events = run_action(action, _push("d1", seen=["d1"]))
    assert messages == [] and events == NOTHING_TO_SHOW and action.shown == []


def test_a_typed_push_payload_shows_nothing() -> None:
    action = Shout()
    messages, events = run_action(action, _push("d1", text='/EXTERNAL_shout{"ref":"r1"}'))
    assert messages == [] and events == NOTHING_TO_SHOW and action.shown == []


@pytest.mark.parametrize(
    "failure", [redis.ConnectionError("down"), OperationalError("SELECT", {}, Exception())]
)
def test_a_store_that_is_down_leaves_the_delivery_unremembered(failure: Exception) -> None:
    messages, events = run_action(Shout(failure), _push("d1"))
    assert messages == [] and events == NOTHING_TO_SHOW
    assert "delivered_alerts" not in slot_events(events)  # so the worker tries again
