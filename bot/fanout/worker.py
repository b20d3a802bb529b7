"""The delivery worker: resolves broadcasts and delivers them, as one member of a consumer group.

Run one or many (``python -m bot.fanout``), on one or many machines: Redis Streams consumer groups
share the entries between them. A worker that dies leaves its entries pending; they are claimed by
the next worker to start (its own, under the same name) or by any worker once idle for
``claim_after`` seconds (XAUTOCLAIM), and the exactly-once rules of ``queue.py`` make the replay safe.

The worker does not know what it delivers: it moves typed notices (``notices.py``) and asks the
sending feature, through its hooks, who wants a broadcast, whether it is still live, and tells it
when a broadcast is complete or replaced. Work of other kinds (expiry, retention) is not its job:
``bot/housekeeping.py`` schedules it, and may run between the worker's rounds in the same process.

Each batch of deliveries: skip those already recorded, or whose broadcast is no longer live, or whose
subscriber left (recorded as skipped with that reason, as is a delivery no channel here can make);
take tokens from each channel's bucket; send in parallel; record the outcomes. A
passing failure is retried with exponential backoff (through a delayed set, promoted back into the
stream when due) up to ``max_attempts``; then, or at once for a permanent failure, the delivery is
marked failed and copied to the dead-letter list.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import cast

import redis
import sqlalchemy.exc

from bot import redis_keys
from bot.fanout.channels import BatchChannel, DeliveryChannel, Outcome, SkipReason
from bot.fanout.notices import Broadcast, BroadcastHooks, JobKind, Notice, NoticeKind
from bot.fanout.pacing import ChannelPacer, RetryPolicy
from bot.fanout.queue import DELIVERY_GROUP, JOBS_GROUP, DeliveryResult, FanOutQueue
from bot.fanout.resolve import fan_out, fan_out_cancellation
from bot.subscriptions.store import split_subscriber_id

log = logging.getLogger(__name__)

# KEYS: retry zset, deliveries stream. ARGV: now, max. Moves due retries back into the stream.
_PROMOTE = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, item in ipairs(due) do
  local d = cjson.decode(item)
  redis.call('XADD', KEYS[2], '*', 'a', d.a, 'k', d.k, 'c', d.c or '', 's', d.s, 'n', tostring(d.n))
  redis.call('ZREM', KEYS[1], item)
end
return #due
"""

# KEYS: retry zset, deliveries stream. ARGV: group, entry id, due time, retry JSON. Atomic hand-over.
_DEFER = """
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
return 1
"""


@dataclass(frozen=True)
class WorkerOptions:
    """Tuning of one worker."""

    name: str = ""  #: consumer name; stable across restarts to resume its own pending entries
    batch: int = 200
    block_ms: int = 1000
    claim_after: float = 60.0  #: seconds an entry may sit with a silent consumer before others take it
    parallel: int = 16  #: deliveries in flight at once


def default_worker_name() -> str:
    """``host-pid``: unique per process."""
    return f"{socket.gethostname()}-{os.getpid()}"


class DeliveryWorker:
    """One consumer of the fan-out jobs and deliveries streams."""

    def __init__(
        self,
        client: redis.Redis[bytes],
        hooks: BroadcastHooks,
        channels: Callable[[str], DeliveryChannel],
        pacer: ChannelPacer,
        retries: RetryPolicy,
        options: WorkerOptions | None = None,
        between_rounds: Callable[[], object] | None = None,
        *,
        languages: Callable[[list[str]], list[str | None]],
        on_stop: Callable[[], object] | None = None,
    ) -> None:
        """``languages`` gives each subscriber's language, None for one who left (the subscriptions'
        record, asked once per batch of deliveries)."""
        self._redis = client
        self._hooks = hooks
        self._channels = channels
        self._pacer = pacer
        self._retries = retries
        self.options = options or WorkerOptions()
        self.name = self.options.name or default_worker_name()
        self._queue = FanOutQueue(client)
        self._languages = languages
        self._promote = client.register_script(_PROMOTE)
        self._defer = client.register_script(_DEFER)
        self._pool = ThreadPoolExecutor(max_workers=self.options.parallel, thread_name_prefix="deliver")
        self._resume_own: dict[str, bool] = {}  #: per stream: own pending entries not yet re-read
        self._last_claim: dict[str, float] = {}  #: per stream: when stale entries were last claimed
        self._between_rounds = between_rounds
        self._on_stop = on_stop  #: closes what the channels hold open (connections, their loop)
        self.stopping = False

    def run(self, until: Callable[[], bool] | None = None) -> None:
        """Work until stopped (``stopping`` set, or ``until()`` true)."""
        log.info("delivery worker %s started", self.name)
        pause = 0.5
        ready = False
        while not self.stopping and not (until and until()):
            try:
                if not ready:
                    self._queue.ensure_groups()
                    ready = True
                self.step()
                pause = 0.5
            except (redis.ConnectionError, redis.TimeoutError, sqlalchemy.exc.OperationalError) as error:
                # Redis or the database (subscriptions) restarting or unreachable: nothing was
                # acknowledged, so nothing is lost; wait. (The database's error names no values:
                # the engine hides its statements' parameters.)
                store = "the database" if isinstance(error, sqlalchemy.exc.OperationalError) else "Redis"
                log.warning("%s unavailable (%s); retrying in %.1f s", store, type(error).__name__, pause)
                time.sleep(pause)
                pause = min(10.0, pause * 2)
                ready = False
        self._pool.shutdown(wait=True)
        if self._on_stop is not None:
            self._on_stop()

    def step(self) -> int:
        """One round: due retries, fan-out jobs, one batch of deliveries; how many entries were handled."""
        self._promote(keys=[redis_keys.delivery_retries(), redis_keys.deliveries()], args=[time.time(), 1000])
        if self._between_rounds is not None:
            self._between_rounds()
        handled = self._jobs()
        entries = self._read_deliveries(block=handled == 0)
        if entries:
            self._deliver(entries)
        return handled + len(entries)

    # Fan-out jobs --------------------------------------------------------------------------------

    def _jobs(self) -> int:
        entries = self._read(redis_keys.fan_out_jobs(), JOBS_GROUP, count=1, block=None)
        for entry_id, fields in entries:
            reference, kind, by = fields.get("a", ""), fields.get("k", ""), fields.get("by", "")
            if kind == JobKind.ALERT:
                audience = self._hooks.audience(reference)
                if audience is not None:
                    fan_out(self._queue, Broadcast.alert(reference), audience)
                    self._finish_if_complete(reference)
            elif kind == JobKind.CANCEL:
                fan_out_cancellation(self._queue, reference)
            elif kind == JobKind.SUPERSEDE:
                self._hooks.superseded(reference, by)
            else:
                log.warning("fan-out job of unknown kind %r dropped", kind)
            self._redis.xack(redis_keys.fan_out_jobs(), JOBS_GROUP, entry_id)  # type: ignore[no-untyped-call]
        return len(entries)

    # Deliveries ----------------------------------------------------------------------------------

    def _read_deliveries(self, block: bool) -> list[tuple[str, dict[str, str]]]:
        return self._read(
            redis_keys.deliveries(),
            DELIVERY_GROUP,
            count=self.options.batch,
            block=self.options.block_ms if block else None,
        )

    def _read(
        self, stream: str, group: str, count: int, block: int | None
    ) -> list[tuple[str, dict[str, str]]]:
        """Own pending entries first (after a restart), then stale ones of others, then new ones."""
        if self._resume_own.get(stream, True):
            own = self._xread(stream, group, "0", count, None)
            if own:
                return own
            self._resume_own[stream] = False
        now = time.monotonic()
        if now - self._last_claim.get(stream, 0.0) >= min(5.0, self.options.claim_after):
            self._last_claim[stream] = now
            claimed = self._claim(stream, group, count)
            if claimed:
                return claimed
        return self._xread(stream, group, ">", count, block)

    def _xread(
        self, stream: str, group: str, start: str, count: int, block: int | None
    ) -> list[tuple[str, dict[str, str]]]:
        reply = self._redis.xreadgroup(group, self.name, {stream: start}, count=count, block=block)
        return [
            (_s(entry_id), _fields(fields))
            for _, entries in reply or []
            for entry_id, fields in entries
            if fields
        ]

    def _claim(self, stream: str, group: str, count: int) -> list[tuple[str, dict[str, str]]]:
        reply = self._redis.xautoclaim(
            stream, group, self.name, int(self.options.claim_after * 1000), count=count
        )
        entries = reply[1] if len(reply) > 1 else []
        return [(_s(entry_id), _fields(fields)) for entry_id, fields in entries if fields]

    def _deliver(self, entries: list[tuple[str, dict[str, str]]]) -> None:
        pending: list[tuple[str, Notice, str]] = []  # (entry id, notice, subscriber id)
        outcomes: list[DeliveryResult] = []
        done: list[str] = []  # entries already recorded (a replay after a crash): only acknowledged
        states = self._states(entries)
        live: dict[str, bool] = {}
        languages = self._languages([fields.get("s", "") for _, fields in entries])
        for (entry_id, fields), state, language in zip(entries, states, languages, strict=True):
            broadcast, subscriber = Broadcast.from_fields(fields), fields.get("s", "")
            if state != "queued":
                done.append(entry_id)
                continue
            if broadcast.kind is NoticeKind.ALERT and broadcast.reference not in live:
                live[broadcast.reference] = self._hooks.is_live(broadcast.reference)
            left = language is None and broadcast.kind is not NoticeKind.CONCERN  # news needs no subscription
            if left or (broadcast.kind is NoticeKind.ALERT and not live[broadcast.reference]):
                why = SkipReason.UNSUBSCRIBED if left else SkipReason.WITHDRAWN
                outcomes.append(DeliveryResult(broadcast, subscriber, "skipped", entry_id, why.value))
                continue
            channel, address = split_subscriber_id(subscriber)
            attempt = int(fields.get("n", "1"))
            notice = Notice(broadcast, channel, address, attempt=attempt, language=language or "")
            pending.append((entry_id, notice, subscriber))
        results = self._send_paced([notice for _, notice, _ in pending])
        for (entry_id, notice, subscriber), (outcome, reason) in zip(pending, results, strict=True):
            if outcome is Outcome.SENT:
                outcomes.append(DeliveryResult(notice.broadcast, subscriber, "sent", entry_id))
            elif outcome is Outcome.SKIPPED:  # nothing here can reach them: said so, never retried
                outcomes.append(DeliveryResult(notice.broadcast, subscriber, "skipped", entry_id, reason))
            elif outcome is Outcome.RETRY and notice.attempt < self._retries.max_attempts:
                self._retry_later(entry_id, notice, subscriber)
            else:
                self._dead_letter(notice, subscriber, reason)
                outcomes.append(DeliveryResult(notice.broadcast, subscriber, "failed", entry_id))
        self._queue.record_many(outcomes)
        if done:
            self._redis.xack(redis_keys.deliveries(), DELIVERY_GROUP, *done)  # type: ignore[no-untyped-call]
        for alert_id in {o.broadcast.reference for o in outcomes if o.broadcast.kind is NoticeKind.ALERT}:
            self._finish_if_complete(alert_id)

    def _send_paced(self, notices: list[Notice]) -> list[tuple[Outcome, str]]:
        """Send as the channels' buckets grant tokens: each go sends what was granted, so a channel
        never gets more than its rate and burst in any second, whoever the workers are."""
        results: list[tuple[Outcome, str]] = [(Outcome.RETRY, "not attempted")] * len(notices)
        waiting: dict[str, list[int]] = {}
        for i, notice in enumerate(notices):
            waiting.setdefault(notice.channel, []).append(i)
        while waiting:
            now: list[int] = []
            for channel, indexes in list(waiting.items()):
                granted = self._pacer.take(channel, len(indexes))
                now.extend(indexes[:granted])
                if granted >= len(indexes):
                    del waiting[channel]
                else:
                    waiting[channel] = indexes[granted:]
            if now:
                for i, result in zip(now, self._send_all([notices[i] for i in now]), strict=True):
                    results[i] = result
            elif waiting:
                time.sleep(min(self._pacer.pause(c, len(rest)) for c, rest in waiting.items()))
        return results

    def _send_all(self, notices: list[Notice]) -> list[tuple[Outcome, str]]:
        """Each notice through its channel: a channel that takes batches gets its share in one call,
        the others one notice per thread, all at once."""
        results: list[tuple[Outcome, str]] = [(Outcome.RETRY, "not attempted")] * len(notices)
        batches: dict[int, tuple[BatchChannel, list[int]]] = {}
        singles: list[int] = []
        for i, notice in enumerate(notices):
            channel = self._channels(notice.channel)
            if hasattr(channel, "send_many"):
                batches.setdefault(id(channel), (cast(BatchChannel, channel), []))[1].append(i)
            else:
                singles.append(i)
        futures = [
            (indexes, self._pool.submit(self._send_batch, channel, [notices[i] for i in indexes]))
            for channel, indexes in batches.values()
        ]
        for i, result in zip(singles, self._pool.map(lambda i: self._send(notices[i]), singles), strict=True):
            results[i] = result
        for indexes, future in futures:
            for i, result in zip(indexes, future.result(), strict=True):
                results[i] = result
        return results

    @staticmethod
    def _send_batch(channel: BatchChannel, notices: list[Notice]) -> list[tuple[Outcome, str]]:
        try:
            return channel.send_many(notices)
        except Exception as error:  # e.g. Redis gone while claiming: nothing was sent, all retried
            log.exception("a batch of %d deliveries failed", len(notices))
            return [(Outcome.RETRY, f"{type(error).__name__}: {error}")] * len(notices)

    def _send(self, notice: Notice) -> tuple[Outcome, str]:
        try:
            return self._channels(notice.channel).send(notice)
        except Exception as error:
            log.exception("channel %s raised", notice.channel)
            return Outcome.RETRY, f"{type(error).__name__}: {error}"

    def _states(self, entries: list[tuple[str, dict[str, str]]]) -> list[str | None]:
        """The recorded state of each entry's delivery: one HMGET per broadcast of the batch."""
        by_broadcast: dict[Broadcast, list[int]] = {}
        for i, (_, fields) in enumerate(entries):
            by_broadcast.setdefault(Broadcast.from_fields(fields), []).append(i)
        pipe = self._redis.pipeline(transaction=False)
        for broadcast, indexes in by_broadcast.items():
            key = redis_keys.recipients(broadcast.key, broadcast.kind.value)
            pipe.hmget(key, [entries[i][1].get("s", "") for i in indexes])
        states: list[str | None] = [None] * len(entries)
        for indexes, values in zip(by_broadcast.values(), pipe.execute(), strict=True):
            for i, value in zip(indexes, values, strict=True):
                states[i] = value.decode() if value else None
        return states

    def _retry_later(self, entry_id: str, notice: Notice, subscriber: str) -> None:
        due = time.time() + self._retries.delay(notice.attempt)
        item = json.dumps({**notice.broadcast.fields(), "s": subscriber, "n": notice.attempt + 1})
        self._defer(
            keys=[redis_keys.delivery_retries(), redis_keys.deliveries()],
            args=[DELIVERY_GROUP, entry_id, due, item],
        )

    def _dead_letter(self, notice: Notice, subscriber: str, reason: str) -> None:
        record = {
            "reference": notice.reference,
            "kind": notice.kind.value,
            **({"change": notice.broadcast.change} if notice.broadcast.change else {}),
            "subscriber": subscriber,
            "attempts": notice.attempt,
            "reason": reason,
            "at": time.time(),
        }
        self._redis.lpush(redis_keys.dead_letters(), json.dumps(record))

    def _finish_if_complete(self, alert_id: str) -> None:
        if self._queue.progress(Broadcast.alert(alert_id)).complete:
            self._hooks.completed(alert_id)


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _fields(fields: Mapping[bytes | str, bytes | str]) -> dict[str, str]:
    return {_s(k): _s(v) for k, v in fields.items()}
