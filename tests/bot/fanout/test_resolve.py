"""Resolving a broadcast's recipients, batch by batch, each once, and a cancellation's from who got it."""

from __future__ import annotations

import redis

from bot import redis_keys
from bot.fanout.notices import Broadcast
from bot.fanout.queue import FanOutQueue
from bot.fanout.resolve import fan_out, fan_out_cancellation


def test_everyone_in_the_audience_is_enqueued_once_and_the_broadcast_resolved(
    redis_client: redis.Redis[bytes],
) -> None:
    queue = FanOutQueue(redis_client)
    alert = Broadcast.alert("al_1")
    audience = iter([["null:a", "null:b"], ["null:b", "null:c"], []])
    assert fan_out(queue, alert, audience) == 3
    progress = queue.progress(alert)
    assert (progress.enqueued, progress.resolved) == (3, True)
    assert fan_out(queue, alert, iter([["null:a", "null:c"]])) == 0  # resolving again after a crash


def test_a_cancellation_goes_to_those_the_alert_reached(redis_client: redis.Redis[bytes]) -> None:
    queue = FanOutQueue(redis_client)
    fan_out(queue, Broadcast.alert("al_1"), iter([["null:sent", "null:failed", "null:waiting"]]))
    recipients = redis_keys.recipients("al_1", "alert")
    redis_client.hset(recipients, mapping={"null:sent": "sent", "null:failed": "failed"})
    assert fan_out_cancellation(queue, "al_1", batch=1) == 1
    cancellation = Broadcast.cancellation("al_1")
    assert queue.states(cancellation, ["null:sent", "null:failed", "null:waiting"]) == ["queued", None, None]
    counts = redis_client.hgetall(redis_keys.delivery_counts("al_1", "cancel"))
    assert counts[b"started"] == b"1" and counts[b"resolved"] == b"1"
