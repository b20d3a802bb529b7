"""Who receives a broadcast: streamed from the subscription sets into the deliveries stream.

Memory stays flat whatever the number of subscribers: sets are read with SSCAN in batches, and each
batch is handed to Redis (``FanOutQueue.enqueue``) before the next is read. A subscriber who follows
two of the alert's regions, or a region and one of its topics, is enqueued once (the recipients hash
is the de-duplication), so resolving again after a crash is harmless.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot import redis_keys
from bot.alerts.model import Alert
from bot.fanout.queue import FanOutQueue

if TYPE_CHECKING:
    import redis

BATCH = 1000


def subscription_sets(alert: Alert) -> list[str]:
    """The sets whose members want this alert: each region's all-topics set and its topic sets."""
    keys = []
    for region in alert.regions:
        keys.append(redis_keys.subscribers_of_region(region))
        keys.extend(redis_keys.subscribers_of_region(region, topic) for topic in alert.topics)
    return keys


def _batches(client: redis.Redis[bytes], key: str, size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for member in client.sscan_iter(key, count=size):
        batch.append(member.decode())
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def fan_out_alert(client: redis.Redis[bytes], queue: FanOutQueue, alert: Alert, batch: int = BATCH) -> int:
    """Enqueue a delivery for every subscriber who wants ``alert``; how many were newly enqueued."""
    added = 0
    for key in subscription_sets(alert):
        for members in _batches(client, key, batch):
            added += queue.enqueue(alert.alert_id, FanOutQueue.ALERT, members)
    queue.mark_resolved(alert.alert_id, FanOutQueue.ALERT)
    return added


def fan_out_cancellation(queue: FanOutQueue, alert_id: str, batch: int = BATCH) -> int:
    """Enqueue a cancellation notice for everyone the alert reached.

    Marked started first: an alert delivery in flight now is recorded as sent after the scan has
    passed it, and the record script then queues its notice (:data:`bot.fanout.queue._RECORD`).
    """
    queue.mark_started(alert_id, FanOutQueue.CANCEL)
    added = 0
    for members in queue.scan_recipients(alert_id, FanOutQueue.ALERT, "sent", count=batch):
        added += queue.enqueue(alert_id, FanOutQueue.CANCEL, members)
    queue.mark_resolved(alert_id, FanOutQueue.CANCEL)
    return added
