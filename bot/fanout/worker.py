"""The delivery worker: resolves broadcasts and delivers them, as one member of a consumer group.

Run one or many (``python -m bot.fanout``), on one or many machines: Redis Streams consumer groups
share the entries between them. A worker that dies leaves its entries pending; they are claimed by
the next worker to start (its own, under the same name) or by any worker once idle for
``claim_after`` seconds (XAUTOCLAIM), and the exactly-once rules of ``queue.py`` make the replay safe.

Each batch of deliveries: skip those already recorded, or whose alert is no longer live, or whose
subscriber left; take tokens from each channel's bucket; send in parallel; record the outcomes. A
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

import redis

from bot import redis_keys
from bot.alerts.lifecycle import LIVE, Status, TransitionError
from bot.alerts.repository import AlertNotFound, AlertRepository
from bot.alerts.service import AlertService
from bot.fanout.channels import Delivery, DeliveryChannel, Outcome
from bot.fanout.pacing import ChannelPacer, RetryPolicy
from bot.fanout.queue import DELIVERY_GROUP, JOBS_GROUP, FanOutQueue
from bot.fanout.resolve import fan_out_alert, fan_out_cancellation
from bot.subscriptions.forget import forget_due
from bot.subscriptions.store import SubscriptionStore, split_subscriber_id

log = logging.getLogger(__name__)
#: How often a worker marks alerts whose time is over as expired.
EXPIRY_SWEEP_SECONDS = 30.0
#: How often a worker runs housekeeping (retention: concern texts, idle conversations).
HOUSEKEEPING_SECONDS = 3600.0

# KEYS: retry zset, deliveries stream. ARGV: now, max. Moves due retries back into the stream.
_PROMOTE = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, item in ipairs(due) do
  local d = cjson.decode(item)
  redis.call('XADD', KEYS[2], '*', 'a', d.a, 'k', d.k, 's', d.s, 'n', tostring(d.n))
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
        alerts: AlertService,
        repository: AlertRepository,
        channels: Callable[[str], DeliveryChannel],
        pacer: ChannelPacer,
        retries: RetryPolicy,
        options: WorkerOptions | None = None,
        housekeeping: Callable[[], object] | None = None,
    ) -> None:
        self._redis = client
        self._alerts = alerts
        self._repository = repository
        self._channels = channels
        self._pacer = pacer
        self._retries = retries
        self.options = options or WorkerOptions()
        self.name = self.options.name or default_worker_name()
        self._queue = FanOutQueue(client)
        self._subscriptions = SubscriptionStore(client)
        self._promote = client.register_script(_PROMOTE)
        self._defer = client.register_script(_DEFER)
        self._pool = ThreadPoolExecutor(max_workers=self.options.parallel, thread_name_prefix="deliver")
        self._resume_own: dict[str, bool] = {}  #: per stream: own pending entries not yet re-read
        self._last_claim: dict[str, float] = {}  #: per stream: when stale entries were last claimed
        self._last_sweep = 0.0
        self._housekeeping = housekeeping
        self._last_housekeeping = 0.0
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
            except (redis.ConnectionError, redis.TimeoutError) as error:
                # Redis restarting or unreachable: nothing was acknowledged, so nothing is lost; wait.
                log.warning("Redis unavailable (%s); retrying in %.1f s", error, pause)
                time.sleep(pause)
                pause = min(10.0, pause * 2)
                ready = False
        self._pool.shutdown(wait=True)

    def step(self) -> int:
        """One round: due retries, fan-out jobs, one batch of deliveries; how many entries were handled."""
        self._promote(keys=[redis_keys.delivery_retries(), redis_keys.deliveries()], args=[time.time(), 1000])
        if time.monotonic() - self._last_sweep >= EXPIRY_SWEEP_SECONDS:
            self._last_sweep = time.monotonic()
            self._alerts.expire_due()
        forget_due(self._redis)
        if self._housekeeping and time.monotonic() - self._last_housekeeping >= HOUSEKEEPING_SECONDS:
            self._last_housekeeping = time.monotonic()
            try:
                self._housekeeping()
            except Exception:
                log.exception("housekeeping failed; retrying in an hour")
        handled = self._jobs()
        entries = self._read_deliveries(block=handled == 0)
        if entries:
            self._deliver(entries)
        return handled + len(entries)

    # Fan-out jobs --------------------------------------------------------------------------------

    def _jobs(self) -> int:
        entries = self._read(redis_keys.fan_out_jobs(), JOBS_GROUP, count=1, block=None)
        for entry_id, fields in entries:
            alert_id, kind, by = fields.get("a", ""), fields.get("k", ""), fields.get("by", "")
            try:
                if kind == FanOutQueue.ALERT:
                    record = self._repository.get(alert_id)
                    if record.status in LIVE:
                        fan_out_alert(self._redis, self._queue, record.alert)
                        self._finish_if_complete(alert_id)
                elif kind == FanOutQueue.CANCEL:
                    fan_out_cancellation(self._queue, alert_id)
                elif kind == FanOutQueue.SUPERSEDE:
                    self._alerts.supersede(alert_id, by)
            except AlertNotFound:
                log.warning("fan-out job for unknown alert %s dropped", alert_id)
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
        pending: list[tuple[str, Delivery, str]] = []  # (entry id, delivery, subscriber id)
        outcomes: list[tuple[str, str, str, str, str]] = []
        states = self._states(entries)
        live: dict[str, bool] = {}
        languages = self._subscriptions.languages([fields.get("s", "") for _, fields in entries])
        for (entry_id, fields), state, language in zip(entries, states, languages, strict=True):
            alert_id, kind, subscriber = fields.get("a", ""), fields.get("k", ""), fields.get("s", "")
            if state != "queued":  # already recorded (a replay after a crash): just acknowledge
                outcomes.append((alert_id, kind, subscriber, "done", entry_id))
                continue
            if kind == FanOutQueue.ALERT and alert_id not in live:
                live[alert_id] = self._is_live(alert_id)
            left = language is None and kind != FanOutQueue.CONCERN  # concern news needs no subscription
            if left or (kind == FanOutQueue.ALERT and not live[alert_id]):
                outcomes.append((alert_id, kind, subscriber, "skipped", entry_id))  # left, or alert withdrawn
                continue
            channel, address = split_subscriber_id(subscriber)
            attempt = int(fields.get("n", "1"))
            delivery = Delivery(alert_id, kind, channel, address, attempt=attempt, language=language or "")
            pending.append((entry_id, delivery, subscriber))
        by_channel: dict[str, int] = {}
        for _, delivery, _ in pending:
            by_channel[delivery.channel] = by_channel.get(delivery.channel, 0) + 1
        for channel, wanted in by_channel.items():
            self._pacer.wait_for(channel, wanted)
        results = list(self._pool.map(lambda item: self._send(item[1]), pending))
        for (entry_id, delivery, subscriber), (outcome, reason) in zip(pending, results, strict=True):
            if outcome is Outcome.SENT:
                outcomes.append((delivery.alert_id, delivery.kind, subscriber, "sent", entry_id))
            elif outcome is Outcome.RETRY and delivery.attempt < self._retries.max_attempts:
                self._retry_later(entry_id, delivery, subscriber)
            else:
                self._dead_letter(delivery, subscriber, reason)
                outcomes.append((delivery.alert_id, delivery.kind, subscriber, "failed", entry_id))
        self._queue.record_many([o for o in outcomes if o[3] != "done"])
        done = [o[4] for o in outcomes if o[3] == "done"]
        if done:
            self._redis.xack(redis_keys.deliveries(), DELIVERY_GROUP, *done)  # type: ignore[no-untyped-call]
        for alert_id in {o[0] for o in outcomes if o[1] == FanOutQueue.ALERT}:
            self._finish_if_complete(alert_id)

    def _send(self, delivery: Delivery) -> tuple[Outcome, str]:
        try:
            return self._channels(delivery.channel).send(delivery)
        except Exception as error:
            log.exception("channel %s raised", delivery.channel)
            return Outcome.RETRY, f"{type(error).__name__}: {error}"

    def _states(self, entries: list[tuple[str, dict[str, str]]]) -> list[str | None]:
        pipe = self._redis.pipeline(transaction=False)
        for _, fields in entries:
            pipe.hget(redis_keys.recipients(fields.get("a", ""), fields.get("k", "")), fields.get("s", ""))
        return [v.decode() if v else None for v in pipe.execute()]

    def _is_live(self, alert_id: str) -> bool:
        try:
            return self._repository.get(alert_id).status in LIVE
        except AlertNotFound:
            return False

    def _retry_later(self, entry_id: str, delivery: Delivery, subscriber: str) -> None:
        due = time.time() + self._retries.delay(delivery.attempt)
        item = json.dumps(
            {"a": delivery.alert_id, "k": delivery.kind, "s": subscriber, "n": delivery.attempt + 1}
        )
        self._defer(
            keys=[redis_keys.delivery_retries(), redis_keys.deliveries()],
            args=[DELIVERY_GROUP, entry_id, due, item],
        )

    def _dead_letter(self, delivery: Delivery, subscriber: str, reason: str) -> None:
        record = {
            "alert_id": delivery.alert_id,
            "kind": delivery.kind,
            "subscriber": subscriber,
            "attempts": delivery.attempt,
            "reason": reason,
            "at": time.time(),
        }
        self._redis.lpush(redis_keys.dead_letters(), json.dumps(record))

    def _finish_if_complete(self, alert_id: str) -> None:
        if not self._queue.progress(alert_id).complete:
            return
        try:
            if self._repository.get(alert_id).status is Status.SENDING:
                self._alerts.finish(alert_id)
        except (AlertNotFound, TransitionError):
            pass  # cancelled or finished by another worker meanwhile


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _fields(fields: Mapping[bytes | str, bytes | str]) -> dict[str, str]:
    return {_s(k): _s(v) for k, v in fields.items()}
