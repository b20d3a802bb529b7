"""Saving a turn writes what Rasa's own save writes, in real Redis, without rebuilding trackers when
nobody else wrote to the conversation."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any
from urllib.parse import urlparse

import pytest
import redis
from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_addons import tracker_append
from tests.conftest import TEST_REDIS_URL

DOMAIN = Domain.from_yaml(
    "version: '3.1'\nslots:\n  language:\n    type: text\n    mappings: [{type: custom}]\n"
)
ORIGINAL_SAVE = tracker_append._ORIGINAL_SAVE


def _store(prefix: str) -> RedisTrackerStore:
    url = urlparse(TEST_REDIS_URL)
    db = int((url.path or "/0").strip("/") or 0)
    return RedisTrackerStore(
        DOMAIN, host=url.hostname or "127.0.0.1", port=url.port or 6379, db=db, key_prefix=prefix
    )


def _session(at: float) -> list[Event]:
    return [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at + 0.1),
        ActionExecuted("action_listen", timestamp=at + 0.2),
    ]


def _turn(text: str, at: float) -> list[Event]:
    parse = {
        "intent": {"name": "greet", "confidence": 0.93},
        "entities": [],
        "text": text,
        "intent_ranking": [{"name": "greet", "confidence": 0.93}],
    }
    return [
        UserUttered(
            text, parse["intent"], [], parse, timestamp=at, input_channel="rest", message_id=uuid.uuid4().hex
        ),
        SlotSet("language", "en", timestamp=at + 0.01),
        ActionExecuted("utter_greet", timestamp=at + 0.02),
        BotUttered(
            "Hello!",
            {"elements": None, "buttons": [{"title": "Yes", "payload": "/affirm"}]},
            {"utter_action": "utter_greet"},
            timestamp=at + 0.03,
        ),
        ActionExecuted("action_listen", timestamp=at + 0.04),
    ]


async def _both_save(
    events_before: list[Event], turn: list[Event], latest_session_only: bool = False
) -> tuple[Any, Any]:
    """The record after a turn is saved by Rasa's save and by the short one, from the same record."""
    records = []
    for save in (ORIGINAL_SAVE, tracker_append.save):
        store = _store(uuid.uuid4().hex[:8])
        sender = "citizen"
        if events_before:
            await ORIGINAL_SAVE(store, DialogueStateTracker.from_events(sender, events_before, DOMAIN.slots))
        tracker = await store.retrieve(sender) if latest_session_only else None
        tracker = tracker or DialogueStateTracker.from_events(sender, events_before, DOMAIN.slots)
        for event in turn:
            tracker.update(event)
        await save(store, tracker)
        records.append(json.loads(store.red.get(store.key_prefix + sender)))
    return records[0], records[1]


def test_first_turn_of_a_new_conversation(redis_client: redis.Redis[bytes]) -> None:
    asyncio.run(_first_turn_of_a_new_conversation())


async def _first_turn_of_a_new_conversation() -> None:
    original, short = await _both_save([], _session(100.0) + _turn("hello", 101.0))
    assert short == original
    assert [e["event"] for e in short["events"]][:3] == ["action", "session_started", "action"]


def test_a_turn_continuing_the_record_appends_to_it(redis_client: redis.Redis[bytes]) -> None:
    asyncio.run(_a_turn_continuing_the_record_appends_to_it())


async def _a_turn_continuing_the_record_appends_to_it() -> None:
    before = _session(100.0) + _turn("hello", 101.0)
    original, short = await _both_save(before, _turn("thanks", 105.0))
    assert short == original
    assert [e.get("text") for e in short["events"] if e["event"] == "user"] == ["hello", "thanks"]


def test_a_second_session_keeps_the_first_on_record(redis_client: redis.Redis[bytes]) -> None:
    asyncio.run(_a_second_session_keeps_the_first_on_record())


async def _a_second_session_keeps_the_first_on_record() -> None:
    before = _session(100.0) + _turn("hello", 101.0) + _session(5000.0) + _turn("habari", 5001.0)
    original, short = await _both_save(before, _turn("asante", 5005.0), latest_session_only=True)
    assert short == original
    assert [e.get("text") for e in short["events"] if e["event"] == "user"] == ["hello", "habari", "asante"]


def test_what_another_writer_added_meanwhile_is_merged_as_rasa_does(
    redis_client: redis.Redis[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(_what_another_writer_added_meanwhile_is_merged_as_rasa_does(monkeypatch))


async def _what_another_writer_added_meanwhile_is_merged_as_rasa_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = _store(uuid.uuid4().hex[:8])
    before = _session(100.0) + _turn("hello", 101.0)
    await ORIGINAL_SAVE(store, DialogueStateTracker.from_events("c", before, DOMAIN.slots))
    tracker = await store.retrieve("c")
    # another process (an alert pushed through Rasa's API) writes while this turn runs
    other = await store.retrieve("c")
    other.update(BotUttered("Flood alert", timestamp=102.0))
    await ORIGINAL_SAVE(store, other)
    for event in _turn("thanks", 103.0):
        tracker.update(event)
    merged: list[Any] = []

    async def remember(
        self: RedisTrackerStore, t: DialogueStateTracker, timeout: float | None = None
    ) -> None:
        merged.append(t)
        await ORIGINAL_SAVE(self, t, timeout)

    monkeypatch.setattr(tracker_append, "_ORIGINAL_SAVE", remember)
    await tracker_append.save(store, tracker)
    assert merged, "a record someone else changed goes through Rasa's merge"
    texts = [
        e.get("text") for e in json.loads(store.red.get(store.key_prefix + "c"))["events"] if "text" in e
    ]
    assert texts == ["hello", "Hello!", "Flood alert", "thanks", "Hello!"]


def test_a_continuing_turn_rebuilds_no_tracker(
    redis_client: redis.Redis[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(_a_continuing_turn_rebuilds_no_tracker(monkeypatch))


async def _a_continuing_turn_rebuilds_no_tracker(monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store(uuid.uuid4().hex[:8])
    before = _session(100.0) + _turn("hello", 101.0)
    await ORIGINAL_SAVE(store, DialogueStateTracker.from_events("c", before, DOMAIN.slots))
    tracker = await store.retrieve("c")
    for event in _turn("thanks", 105.0):
        tracker.update(event)

    def rebuilt(*_: object) -> None:
        raise AssertionError("the stored conversation was rebuilt")

    monkeypatch.setattr(RedisTrackerStore, "deserialise_tracker", rebuilt)
    monkeypatch.setattr(RedisTrackerStore, "_merge_trackers", rebuilt)
    await tracker_append.save(store, tracker)
    assert len(json.loads(store.red.get(store.key_prefix + "c"))["events"]) == len(before) + 5


def test_appended_only_when_the_record_is_where_the_tracker_began() -> None:
    a, b, c = {"event": "user", "text": "a"}, {"event": "bot", "text": "b"}, {"event": "user", "text": "c"}
    start = {"event": "action", "name": "action_session_start"}
    assert tracker_append.appended([a, b], [a, b, c]) == [a, b, c]
    assert tracker_append.appended([], [a]) == [a]
    assert tracker_append.appended([a, c], [a, b, c]) is None
    assert tracker_append.appended([a, b, c], [a, b]) is None
    assert tracker_append.appended([a, start, b], [start, b, c]) == [a, start, b, c]
    assert tracker_append.appended([a, start, b, c], [start, c]) is None
