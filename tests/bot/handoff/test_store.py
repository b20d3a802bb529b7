"""The store keeps queues, holders and the conversation's pointer in step with each document."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import redis

from bot import redis_keys
from bot.handoff.model import Handoff, Status, Trigger, new_handoff_id
from bot.handoff.store import Conflict, HandoffStore

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
TTL = 3600


def _handoff(conversation: str, trigger: Trigger = Trigger.ASKED, minutes: int = 0) -> Handoff:
    return Handoff(
        new_handoff_id(),
        conversation,
        "sms",
        "en",
        "citizen_services",
        trigger,
        NOW + timedelta(minutes=minutes),
    )


def test_queue_order_urgent_first_then_oldest(redis_client: redis.Redis[bytes]) -> None:
    store = HandoffStore(redis_client)
    for conversation, trigger, minutes in [
        ("a", Trigger.ASKED, 0),
        ("b", Trigger.ASKED, 1),
        ("c", Trigger.DISTRESS, 2),
    ]:
        store.add(_handoff(conversation, trigger, minutes), TTL)
    assert [h.conversation_id for h in store.waiting("citizen_services")] == ["c", "a", "b"]


def test_a_change_moves_the_handoff_between_queue_and_holders_and_expires(
    redis_client: redis.Redis[bytes],
) -> None:
    store = HandoffStore(redis_client)
    handoff = store.add(_handoff("a"), TTL)
    store.change(
        handoff.handoff_id,
        lambda h: h.with_event("claimed", NOW, "p", status=Status.CLAIMED),
        {Status.WAITING},
        TTL,
    )
    assert store.waiting("citizen_services") == [] and [
        h.conversation_id for h in store.claimed("citizen_services")
    ] == ["a"]
    with pytest.raises(Conflict):
        store.change(handoff.handoff_id, lambda h: h, {Status.WAITING}, TTL)
    store.change(
        handoff.handoff_id,
        lambda h: h.with_event("ended", NOW, "p", status=Status.ENDED),
        {Status.CLAIMED},
        TTL,
    )
    assert store.claimed("citizen_services") == [] and store.active_for("a") is None
    assert 0 < redis_client.ttl(redis_keys.handoff(handoff.handoff_id)) <= TTL
    with pytest.raises(KeyError):
        store.change("h_missing", lambda h: h, {Status.WAITING}, TTL)
