"""The fan-out's two Redis Streams and the scripts that keep them exactly-once.

- ``fan_out_jobs``: one entry per broadcast to resolve (a new live alert, a cancellation, an alert
  replaced by an Update). Written in the same transaction as the alert's status change.
- ``deliveries``: one entry per (broadcast, subscriber), consumed by the delivery workers' group.

Exactly-once rests on one hash per broadcast, ``recipients``: a subscriber is enqueued only if
``HSETNX recipients <subscriber> queued`` succeeds (so resolving twice, e.g. after a crash, adds no one
twice), and a delivery is acted on only while its state is ``queued`` (so a redelivered stream entry
whose delivery was recorded is just acknowledged). The one remaining window, a worker killed after the
channel accepted a message and before recording it, is closed at the receiving end: the delivery id
travels with the message and the receiver (the conversation, see ``actions/alerts.py``) ignores an id
it has already shown; a delivery sent straight through the channel is claimed in the conversation's
record of pushed notices before it is sent (``pushed.py``), and a replay finds the claim. A
cancellation reaches an alert delivery that was in flight while it scanned for recipients: see
``_RECORD``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot import redis_keys
from bot.fanout.notices import Broadcast, JobKind, NoticeKind

if TYPE_CHECKING:
    import redis
    from redis.client import Pipeline

JOBS_GROUP = "fanout"
DELIVERY_GROUP = "delivery"

# KEYS: recipients, counts, deliveries stream. ARGV: reference, kind, change, subscriber ids...
_ENQUEUE = """
local added = 0
for i = 4, #ARGV do
  if redis.call('HSETNX', KEYS[1], ARGV[i], 'queued') == 1 then
    redis.call('XADD', KEYS[3], '*', 'a', ARGV[1], 'k', ARGV[2], 'c', ARGV[3], 's', ARGV[i])
    added = added + 1
  end
end
if added > 0 then redis.call('HINCRBY', KEYS[2], 'enqueued', added) end
return added
"""

# KEYS: recipients, counts, deliveries stream, then the cancellation's recipients and counts, all of
# one broadcast. ARGV: group, alert id (empty unless the broadcast is an alert), then for each delivery
# four values: subscriber, new state, entry id, counter of the reason ('' when there is none: a skipped
# delivery has one). Records each outcome once (only from 'queued') and acknowledges its stream entry.
# An alert recorded as sent after its cancellation began scanning for recipients (the delivery was in
# flight, so the scan saw it queued) gets its cancellation notice queued here, in the same atomic step.
# One call per broadcast of a batch: a batch of 200 is one command instead of 200.
_RECORD = """
local changed = 0
local cancelling = ARGV[2] ~= '' and redis.call('HEXISTS', KEYS[5], 'started') == 1
for i = 3, #ARGV, 4 do
  local subscriber, new, entry, because = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if redis.call('HGET', KEYS[1], subscriber) == 'queued' then
    redis.call('HSET', KEYS[1], subscriber, new)
    redis.call('HINCRBY', KEYS[2], new, 1)
    if because ~= '' then redis.call('HINCRBY', KEYS[2], because, 1) end
    changed = changed + 1
    if new == 'sent' and cancelling and redis.call('HSETNX', KEYS[4], subscriber, 'queued') == 1 then
      redis.call('XADD', KEYS[3], '*', 'a', ARGV[2], 'k', 'cancel', 'c', '', 's', subscriber)
      redis.call('HINCRBY', KEYS[5], 'enqueued', 1)
    end
  end
  redis.call('XACK', KEYS[3], ARGV[1], entry)
end
return changed
"""


@dataclass(frozen=True)
class DeliveryResult:
    """The outcome of one delivery, to record: its broadcast, subscriber, new state and stream entry."""

    broadcast: Broadcast
    subscriber: str
    state: str  #: sent | failed | skipped
    entry_id: str
    reason: str = ""  #: why it was skipped (a ``SkipReason`` value)


#: Counter fields of a broadcast's skipped deliveries: ``skipped:<reason>:<channel>``.
_SKIPPED_BECAUSE = "skipped:"


@dataclass(frozen=True)
class Skipped:
    """How many deliveries on one channel were skipped for one reason."""

    reason: str
    channel: str
    count: int


@dataclass(frozen=True)
class Progress:
    """How far one broadcast has got."""

    enqueued: int
    sent: int
    failed: int
    skipped: int
    resolved: bool  #: every recipient has been found and enqueued
    skipped_because: tuple[Skipped, ...] = ()  #: the skipped ones by reason and channel

    @property
    def remaining(self) -> int:
        """Deliveries not yet sent, failed or skipped."""
        return max(0, self.enqueued - self.sent - self.failed - self.skipped)

    @property
    def complete(self) -> bool:
        """Every recipient found and every delivery done."""
        return self.resolved and self.remaining == 0

    def to_json(self) -> dict[str, object]:
        """JSON-ready counters."""
        return {
            "total": self.enqueued,
            "sent": self.sent,
            "failed": self.failed,
            "skipped": self.skipped,
            "skipped_reasons": [
                {"reason": s.reason, "channel": s.channel, "count": s.count} for s in self.skipped_because
            ],
            "remaining": self.remaining,
            "resolved": self.resolved,
            "complete": self.complete,
        }


class FanOutQueue:
    """Schedules broadcasts, enqueues deliveries and records their outcome."""

    def __init__(self, client: redis.Redis[bytes]) -> None:
        self._redis = client
        self._enqueue = client.register_script(_ENQUEUE)
        self._record = client.register_script(_RECORD)

    def ensure_groups(self) -> None:
        """Create the consumer groups (idempotent)."""
        for stream, group in (
            (redis_keys.fan_out_jobs(), JOBS_GROUP),
            (redis_keys.deliveries(), DELIVERY_GROUP),
        ):
            try:
                self._redis.xgroup_create(stream, group, id="0", mkstream=True)
            except Exception as error:
                if "BUSYGROUP" not in str(error):
                    raise

    @staticmethod
    def schedule(pipe: Pipeline[bytes], kind: JobKind, reference: str, *, by: str = "") -> None:
        """Queue a fan-out job inside the caller's transaction."""
        pipe.xadd(redis_keys.fan_out_jobs(), {"a": reference, "k": kind.value, "by": by})

    def enqueue(self, broadcast: Broadcast, subscriber_ids: list[str]) -> int:
        """Enqueue deliveries for subscribers not yet enqueued for this broadcast; how many were new."""
        if not subscriber_ids:
            return 0
        keys = [
            redis_keys.recipients(broadcast.key, broadcast.kind.value),
            redis_keys.delivery_counts(broadcast.key, broadcast.kind.value),
            redis_keys.deliveries(),
        ]
        args = [broadcast.reference, broadcast.kind.value, broadcast.change, *subscriber_ids]
        return int(self._enqueue(keys=keys, args=args))

    def mark_started(self, broadcast: Broadcast) -> None:
        """Record that recipients of a broadcast are being looked for (before the first is read)."""
        self._redis.hset(redis_keys.delivery_counts(broadcast.key, broadcast.kind.value), "started", 1)

    def mark_resolved(self, broadcast: Broadcast) -> None:
        """Record that every recipient of a broadcast is enqueued."""
        self._redis.hset(redis_keys.delivery_counts(broadcast.key, broadcast.kind.value), "resolved", 1)

    @staticmethod
    def _record_call(broadcast: Broadcast, outcomes: list[DeliveryResult]) -> tuple[list[str], list[str]]:
        """Keys and arguments of the record script for the deliveries of one broadcast."""
        cancellation = Broadcast.cancellation(broadcast.reference)
        keys = [
            redis_keys.recipients(broadcast.key, broadcast.kind.value),
            redis_keys.delivery_counts(broadcast.key, broadcast.kind.value),
            redis_keys.deliveries(),
            redis_keys.recipients(cancellation.key, cancellation.kind.value),
            redis_keys.delivery_counts(cancellation.key, cancellation.kind.value),
        ]
        args = [DELIVERY_GROUP, broadcast.reference if broadcast.kind is NoticeKind.ALERT else ""]
        for outcome in outcomes:
            channel = outcome.subscriber.partition(":")[0]
            because = f"{_SKIPPED_BECAUSE}{outcome.reason}:{channel}" if outcome.reason else ""
            args.extend((outcome.subscriber, outcome.state, outcome.entry_id, because))
        return keys, args

    def record(self, outcome: DeliveryResult) -> bool:
        """Record a delivery's outcome (once) and acknowledge its stream entry; True if it changed."""
        keys, args = self._record_call(outcome.broadcast, [outcome])
        return bool(self._record(keys=keys, args=args))

    def record_many(self, outcomes: list[DeliveryResult]) -> None:
        """:meth:`record` for many outcomes, in one round trip (one script call per broadcast)."""
        if not outcomes:
            return
        by_broadcast: dict[Broadcast, list[DeliveryResult]] = {}
        for outcome in outcomes:
            by_broadcast.setdefault(outcome.broadcast, []).append(outcome)
        pipe = self._redis.pipeline(transaction=False)
        for broadcast, theirs in by_broadcast.items():
            keys, args = self._record_call(broadcast, theirs)
            self._record(keys=keys, args=args, client=pipe)
        pipe.execute()

    def states(self, broadcast: Broadcast, subscribers: list[str]) -> list[str | None]:
        """The recorded state of each subscriber's delivery."""
        values = self._redis.hmget(redis_keys.recipients(broadcast.key, broadcast.kind.value), subscribers)
        return [v.decode() if v else None for v in values]

    def state(self, broadcast: Broadcast, subscriber: str) -> str | None:
        """The recorded state of one delivery."""
        value = self._redis.hget(redis_keys.recipients(broadcast.key, broadcast.kind.value), subscriber)
        return value.decode() if value else None

    def progress(self, broadcast: Broadcast) -> Progress:
        """The counters of one broadcast."""
        key = redis_keys.delivery_counts(broadcast.key, broadcast.kind.value)
        raw = {k.decode(): int(v) for k, v in self._redis.hgetall(key).items()}
        because = []
        for name, count in sorted(raw.items()):
            if name.startswith(_SKIPPED_BECAUSE):
                reason, _, channel = name[len(_SKIPPED_BECAUSE) :].partition(":")
                because.append(Skipped(reason, channel, count))
        return Progress(
            enqueued=raw.get("enqueued", 0),
            sent=raw.get("sent", 0),
            failed=raw.get("failed", 0),
            skipped=raw.get("skipped", 0),
            resolved=bool(raw.get("resolved", 0)),
            skipped_because=tuple(because),
        )

    def scan_recipients(self, broadcast: Broadcast, state: str, count: int = 1000) -> Iterator[list[str]]:
        """Batches of the subscribers of a broadcast in ``state`` (HSCAN: bounded memory per batch)."""
        batch: list[str] = []
        key = redis_keys.recipients(broadcast.key, broadcast.kind.value)
        for subscriber, value in self._redis.hscan_iter(key, count=count):
            if value.decode() == state:
                batch.append(subscriber.decode())
                if len(batch) >= count:
                    yield batch
                    batch = []
        if batch:
            yield batch
