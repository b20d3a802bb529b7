"""Saving a conversation to Redis without re-reading it twice when nothing else wrote to it.

Rasa 3.6's ``RedisTrackerStore.save`` reads the stored conversation back before writing it, to merge
what another writer may have added meanwhile (``_merge_trackers``). To find out whether anyone did,
it rebuilds a tracker from the stored JSON (every event replayed), rebuilds a second one from the
turn's tracker up to the stored last event's time (replayed again), and compares the two lists of
events, each event by a ``jsonpickle`` encoding of its data. Profiled under load (10 concurrent REST
conversations, py-spy on the Rasa server), that check was about a tenth of the server's CPU, and on
almost every turn its answer is "nobody else wrote": the conversation's lock is held for the turn.

:func:`save` answers the same question on the stored JSON itself: the stored events are the first
events of the turn's tracker (one conversation session: the tracker holds the whole conversation), or
the stored events from the last session start on are (the tracker store hands a turn only the latest
session, and the merge keeps the earlier ones). Then what Rasa's merge would write is the stored
events followed by the turn's new ones, and that is written. In any other case (another writer, an
unreadable record) Rasa's own merge runs, unchanged. Comparing event dictionaries is stricter than
Rasa's event equality (timestamps included), so a turn that takes the short way is one Rasa's check
would also have found unchanged.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.trackers import DialogueStateTracker

_ORIGINAL_SAVE = RedisTrackerStore.save


def appended(stored: list[Any], current: list[dict[str, Any]]) -> list[Any] | None:
    """The events to write when ``current`` (the turn's events, as dictionaries) continues ``stored``
    (the events on record), or None when it does not (someone else wrote: Rasa's merge decides)."""
    if len(stored) <= len(current) and stored == current[: len(stored)]:
        return current
    start = _last_session_start(stored)
    if start > 0:
        tail = stored[start:]
        if len(tail) <= len(current) and tail == current[: len(tail)]:
            return stored[:start] + current
    return None


def _last_session_start(events: list[Any]) -> int:
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if (
            isinstance(event, dict)
            and event.get("event") == "action"
            and event.get("name") == ACTION_SESSION_START_NAME
        ):
            return index
    return -1


async def save(self: RedisTrackerStore, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
    """``RedisTrackerStore.save``, writing the turn's events after the stored ones without rebuilding
    trackers when the stored events are where the turn's tracker began."""
    if self.event_broker is not None:  # the broker's diff reads the record its own way
        await _ORIGINAL_SAVE(self, tracker, timeout)
        return
    if not timeout and self.record_exp:
        timeout = self.record_exp
    key = self.key_prefix + tracker.sender_id
    stored = self.red.get(key)
    current = [event.as_dict() for event in tracker.events]
    events: list[Any] | None = current
    if stored is not None:
        try:
            record = json.loads(stored)
        except ValueError:
            record = None
        recorded = record.get("events") if isinstance(record, dict) else None
        events = appended(recorded, current) if isinstance(recorded, list) else None
    if events is None:
        await _ORIGINAL_SAVE(self, tracker, timeout)
        return
    self.red.set(key, json.dumps({"events": events, "name": tracker.sender_id}), ex=timeout)


def apply() -> None:
    """Install :func:`save` (idempotent)."""
    RedisTrackerStore.save = save  # type: ignore[method-assign]
