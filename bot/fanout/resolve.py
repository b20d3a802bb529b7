"""Who receives a broadcast: streamed into the deliveries stream, batch by batch.

Memory stays flat whatever the number of subscribers: the audience arrives in batches (the
subscription sets are read with SSCAN) and each batch is handed to Redis (``FanOutQueue.enqueue``)
before the next is read. A subscriber who comes twice (two of an alert's regions, or a region and one
of its topics) is enqueued once (the recipients hash is the de-duplication), so resolving again after
a crash is harmless.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.fanout.notices import Broadcast
from bot.fanout.queue import FanOutQueue

BATCH = 1000


def fan_out(queue: FanOutQueue, broadcast: Broadcast, audience: Iterable[list[str]]) -> int:
    """Enqueue a delivery for everyone in ``audience``; how many were newly enqueued."""
    added = sum(queue.enqueue(broadcast, members) for members in audience)
    queue.mark_resolved(broadcast)
    return added


def fan_out_cancellation(queue: FanOutQueue, alert_id: str, batch: int = BATCH) -> int:
    """Enqueue a cancellation notice for everyone the alert reached.

    Marked started first: an alert delivery in flight now is recorded as sent after the scan has
    passed it, and the record script then queues its notice (:data:`bot.fanout.queue._RECORD`).
    """
    cancellation = Broadcast.cancellation(alert_id)
    queue.mark_started(cancellation)
    sent = queue.scan_recipients(Broadcast.alert(alert_id), "sent", count=batch)
    return fan_out(queue, cancellation, sent)
