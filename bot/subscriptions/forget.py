"""Conversations are not kept for ever: "delete my data", and expiry of idle conversations.

A citizen's "delete my data" removes subscriptions and concern contacts at once, the conversation
shortly after: the conversation is Rasa's tracker, which Rasa saves again at the end of the very turn
in which the citizen confirmed; so it is scheduled for deletion a few seconds later, and a delivery
worker deletes it (with the offline inbox and held SMS pages of that address).

Every conversation also expires a set time after its last message (``conversation_retention_days``).
Rasa's Redis tracker store gives it that expiry at every save, from its creation on (``record_exp``
in ``endpoints.yml``, from ``TRACKER_EXPIRY_SECONDS``, which the launcher derives from the setting).
The delivery workers' hourly housekeeping still gives one to any tracker without it (saved before
that setting, or by a Rasa started without it).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from bot import redis_keys

if TYPE_CHECKING:
    import redis

    from bot.subscriptions.store import SubscriptionStore

#: Seconds to wait before deleting a conversation, so Rasa's save of the current turn comes first.
DELAY_SECONDS = 10.0
#: Trackers looked at per round trip when giving idle conversations an expiry.
EXPIRY_BATCH = 1000


def schedule_forgetting(
    client: redis.Redis[bytes], subscriptions: SubscriptionStore, subscriber: str, conversation_id: str
) -> None:
    """Remove the subscriptions now; schedule the conversation's deletion."""
    subscriptions.unsubscribe(subscriber)
    client.zadd(redis_keys.conversations_to_forget(), {conversation_id: time.time() + DELAY_SECONDS})


def forget_due(client: redis.Redis[bytes], now: float | None = None) -> list[str]:
    """Delete the conversations whose time has come; their ids."""
    due = [
        m.decode()
        for m in client.zrangebyscore(redis_keys.conversations_to_forget(), "-inf", now or time.time())
    ]
    for conversation_id in due:
        pipe = client.pipeline(transaction=True)
        pipe.delete(redis_keys.rasa_tracker(conversation_id))
        pipe.delete(redis_keys.offline_inbox("socketio", conversation_id))
        pipe.delete(redis_keys.sms_pages(conversation_id))
        pipe.delete(redis_keys.pushed_notices(conversation_id))
        pipe.zrem(redis_keys.conversations_to_forget(), conversation_id)
        pipe.execute()
    return due


def expire_idle_conversations(client: redis.Redis[bytes], retention_days: int) -> int:
    """Give every conversation without an expiry one of ``retention_days``; how many got one."""
    seconds = max(1, retention_days) * 86400
    given = 0
    keys: list[bytes] = []
    for key in client.scan_iter(match=redis_keys.rasa_tracker("*"), count=EXPIRY_BATCH):
        keys.append(key)
        if len(keys) >= EXPIRY_BATCH:
            given += _expire_without_expiry(client, keys, seconds)
            keys = []
    return given + _expire_without_expiry(client, keys, seconds)


def _expire_without_expiry(client: redis.Redis[bytes], keys: list[bytes], seconds: int) -> int:
    if not keys:
        return 0
    pipe = client.pipeline(transaction=False)
    for key in keys:
        pipe.ttl(key)
    lasting = [key for key, ttl in zip(keys, pipe.execute(), strict=True) if ttl == -1]
    pipe = client.pipeline(transaction=False)
    for key in lasting:
        pipe.expire(key, seconds)
    pipe.execute()
    return len(lasting)
