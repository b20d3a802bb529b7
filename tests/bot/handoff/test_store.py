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


def test_retention_drops_old_handoffs_with_their_queue_places_pointers_and_index(
    redis_client: redis.Redis[bytes],
) -> None:
    store = HandoffStore(redis_client)
    old_waiting = store.add(_handoff("old-waiting", minutes=-200), TTL)
    old_held = store.add(_handoff("old-held", minutes=-150), TTL)
    store.change(
        old_held.handoff_id,
        lambda h: h.with_event("claimed", NOW, "p", status=Status.CLAIMED),
        {Status.WAITING},
        TTL,
    )
    expired = store.add(_handoff("expired", minutes=-120), TTL)
    redis_client.delete(redis_keys.handoff(expired.handoff_id))  # Redis dropped the document already
    recent = store.add(_handoff("recent", minutes=-10), TTL)

    assert store.forget_before(NOW - timedelta(minutes=60), ["citizen_services", "water_desk"]) == 3

    assert [h.handoff_id for h in store.asked_since(NOW - timedelta(days=1))] == [recent.handoff_id]
    for gone in (old_waiting, old_held, expired):
        assert store.get(gone.handoff_id) is None
    assert store.active_for("old-waiting") is None and store.active_for("old-held") is None
    assert not redis_client.exists(redis_keys.handoff_of_conversation("old-waiting"))
    assert store.claimed("citizen_services") == []
    # the id whose document had expired no longer holds a place ahead of the recent citizen
    assert redis_client.zcard(redis_keys.handoffs_waiting("citizen_services")) == 1
    assert store.position(recent) == 1 and store.active_for("recent") == recent


def test_listing_reads_in_batches_oldest_first_and_skips_expired_documents(
    redis_client: redis.Redis[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.handoff.store

    monkeypatch.setattr(bot.handoff.store, "READ_BATCH", 2)
    store = HandoffStore(redis_client)
    added = [store.add(_handoff(f"c{n}", minutes=n), TTL) for n in range(5)]
    redis_client.delete(redis_keys.handoff(added[2].handoff_id))
    listed = store.asked_since(NOW - timedelta(minutes=1))
    assert [h.conversation_id for h in listed] == ["c0", "c1", "c3", "c4"]
    assert store.asked_since(NOW + timedelta(minutes=3)) == [added[3], added[4]]
