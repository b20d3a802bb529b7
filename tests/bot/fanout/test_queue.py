"""The fan-out streams against a real Redis: each subscriber enqueued once, each outcome recorded once."""

from __future__ import annotations

import redis

from bot import redis_keys
from bot.fanout.notices import Broadcast, JobKind, NoticeKind
from bot.fanout.queue import DELIVERY_GROUP, DeliveryResult, FanOutQueue, Progress, Skipped


def _entries(client: redis.Redis[bytes]) -> list[tuple[str, dict[bytes, bytes]]]:
    return [(i.decode(), f) for i, f in client.xrange(redis_keys.deliveries())]


def test_a_subscriber_is_enqueued_once_per_broadcast(redis_client: redis.Redis[bytes]) -> None:
    queue = FanOutQueue(redis_client)
    alert = Broadcast.alert("al_1")
    assert queue.enqueue(alert, ["null:a", "null:b"]) == 2
    assert queue.enqueue(alert, ["null:b", "null:c"]) == 1  # b came again through another region
    assert queue.enqueue(alert, []) == 0
    assert queue.enqueue(Broadcast.cancellation("al_1"), ["null:a"]) == 1  # another broadcast
    fields = [f for _, f in _entries(redis_client)]
    assert [f[b"s"] for f in fields] == [b"null:a", b"null:b", b"null:c", b"null:a"]
    assert fields[0] == {b"a": b"al_1", b"k": b"alert", b"c": b"", b"s": b"null:a"}
    assert queue.states(alert, ["null:a", "null:c", "null:z"]) == ["queued", "queued", None]
    assert queue.progress(alert) == Progress(enqueued=3, sent=0, failed=0, skipped=0, resolved=False)


def test_an_outcome_is_recorded_once_and_acknowledged(redis_client: redis.Redis[bytes]) -> None:
    queue = FanOutQueue(redis_client)
    queue.ensure_groups()
    queue.ensure_groups()  # idempotent
    concern = Broadcast(NoticeKind.CONCERN, "K7P2QX", "1")
    queue.enqueue(concern, ["telegram:1", "telegram:2"])
    taken = redis_client.xreadgroup(DELIVERY_GROUP, "w1", {redis_keys.deliveries(): ">"})
    [(_, entries)] = taken
    first, second = (entry_id.decode() for entry_id, _ in entries)
    assert queue.record(DeliveryResult(concern, "telegram:1", "sent", first)) is True
    assert queue.record(DeliveryResult(concern, "telegram:1", "failed", first)) is False  # redelivered entry
    queue.record_many([DeliveryResult(concern, "telegram:2", "skipped", second)])
    queue.mark_resolved(concern)
    progress = queue.progress(concern)
    assert (progress.sent, progress.failed, progress.skipped, progress.remaining, progress.complete) == (
        1,
        0,
        1,
        0,
        True,
    )
    assert queue.state(concern, "telegram:1") == "sent"
    assert redis_client.xpending(redis_keys.deliveries(), DELIVERY_GROUP)["pending"] == 0


def test_an_alert_sent_after_its_cancellation_began_gets_its_notice(redis_client: redis.Redis[bytes]) -> None:
    queue = FanOutQueue(redis_client)
    queue.ensure_groups()
    alert, cancellation = Broadcast.alert("al_1"), Broadcast.cancellation("al_1")
    queue.enqueue(alert, ["null:inflight"])
    [(_, [(entry_id, _)])] = redis_client.xreadgroup(DELIVERY_GROUP, "w1", {redis_keys.deliveries(): ">"})
    queue.mark_started(cancellation)  # the cancellation scans while the delivery is on its way
    queue.record(DeliveryResult(alert, "null:inflight", "sent", entry_id.decode()))
    assert queue.state(cancellation, "null:inflight") == "queued"
    assert _entries(redis_client)[-1][1] == {
        b"a": b"al_1",
        b"k": b"cancel",
        b"c": b"",
        b"s": b"null:inflight",
    }
    assert queue.progress(cancellation).enqueued == 1


def test_recipients_are_scanned_by_state_in_batches(redis_client: redis.Redis[bytes]) -> None:
    queue = FanOutQueue(redis_client)
    alert = Broadcast.alert("al_1")
    queue.enqueue(alert, [f"null:{i}" for i in range(7)])
    redis_client.hset(redis_keys.recipients("al_1", "alert"), "null:3", "sent")
    batches = list(queue.scan_recipients(alert, "queued", count=2))
    assert all(len(b) <= 2 for b in batches)
    assert sorted(s for b in batches for s in b) == [f"null:{i}" for i in range(7) if i != 3]
    assert list(queue.scan_recipients(alert, "sent")) == [["null:3"]]


def test_jobs_are_scheduled_in_the_callers_transaction(redis_client: redis.Redis[bytes]) -> None:
    pipe = redis_client.pipeline(transaction=True)
    FanOutQueue.schedule(pipe, JobKind.SUPERSEDE, "al_1", by="al_2")
    assert redis_client.xlen(redis_keys.fan_out_jobs()) == 0  # nothing until the transaction runs
    pipe.execute()
    [(_, fields)] = redis_client.xrange(redis_keys.fan_out_jobs())
    assert fields == {b"a": b"al_1", b"k": b"supersede", b"by": b"al_2"}


def test_progress_counts_what_remains() -> None:
    progress = Progress(
        enqueued=10,
        sent=6,
        failed=1,
        skipped=1,
        resolved=True,
        skipped_because=(Skipped("cannot_push", "rest", 1),),
    )
    assert (progress.remaining, progress.complete) == (2, False)
    assert progress.to_json() == {
        "total": 10,
        "sent": 6,
        "failed": 1,
        "skipped": 1,
        "skipped_reasons": [{"reason": "cannot_push", "channel": "rest", "count": 1}],
        "remaining": 2,
        "resolved": True,
        "complete": False,
    }
    assert not Progress(enqueued=0, sent=0, failed=0, skipped=0, resolved=False).complete  # still resolving
