"""A citizen's "delete my data": subscriptions and concern contacts at once, the conversation shortly after.

The conversation itself is Rasa's tracker, which Rasa saves again at the end of the very turn in which
the citizen confirmed; so it is scheduled for deletion a few seconds later, and a delivery worker
deletes it (with the offline inbox and held SMS pages of that address).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from bot import redis_keys
from bot.subscriptions.store import SubscriptionStore

if TYPE_CHECKING:
    import redis

#: Seconds to wait before deleting a conversation, so Rasa's save of the current turn comes first.
DELAY_SECONDS = 10.0


def schedule_forgetting(client: redis.Redis[bytes], subscriber: str, conversation_id: str) -> None:
    """Remove the subscriptions now; schedule the conversation's deletion."""
    SubscriptionStore(client).unsubscribe(subscriber)
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
        pipe.zrem(redis_keys.conversations_to_forget(), conversation_id)
        pipe.execute()
    return due
