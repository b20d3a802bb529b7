from __future__ import annotations

import redis

from bot import redis_keys
from bot.subscriptions import forget
from bot.subscriptions.forget import expire_idle_conversations


def test_only_trackers_without_an_expiry_get_one(redis_client: redis.Redis[bytes], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(forget, "EXPIRY_BATCH", 7)  # several round trips
    for i in range(20):
        redis_client.set(redis_keys.rasa_tracker(f"telegram:{i}"), "{}")
    redis_client.set(redis_keys.rasa_tracker("socketio:already"), "{}", ex=3600)
    redis_client.set(redis_keys.subscriber("telegram:1"), "{}")  # not a conversation
    assert expire_idle_conversations(redis_client, 30) == 20
    assert all(
        29 * 86400 < redis_client.ttl(redis_keys.rasa_tracker(f"telegram:{i}")) <= 30 * 86400
        for i in range(20)
    )
    assert redis_client.ttl(redis_keys.rasa_tracker("socketio:already")) <= 3600  # left as it was
    assert redis_client.ttl(redis_keys.subscriber("telegram:1")) == -1
    assert expire_idle_conversations(redis_client, 30) == 0  # nothing new to do
