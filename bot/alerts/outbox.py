"""The relay of the alert outbox: each change's effects applied to Redis once, whatever dies in between.

Why an outbox. The alert's record is in the database; what citizens see (``store.py``) and the
fan-out's job queue are in Redis, and no transaction spans both. Writing Redis before the commit could
show or send an alert whose change then fails; writing it after the commit loses it when the process
dies in between (or Redis is down then). So a change writes what it must do (``effects.py``) into
the ``alert_outbox`` table in its own transaction, and the relay applies it:

1. in one Redis transaction, the effects and a mark naming the change (``alert_change_applied``:
   the alert and the version the change made);
2. then the row is deleted.

Killed before step 1, the row is still there and the next relay applies it. Killed between 1 and 2,
the next relay finds the mark and only deletes the row. Either way the effects happen once: the alert
is shown once and its fan-out job queued once (tests/bot/alerts/test_outbox.py kills real processes
at both points). The mark is kept :data:`APPLIED_MARK_SECONDS`, far longer than a row waits while any
relay runs; past it, a fan-out job queued twice still reaches nobody twice (``bot/fanout/queue.py``).

Why not re-derive the effects from the records at start instead: the view can be derived, and is
(:meth:`AlertOutbox.rebuild`, for a Redis that lost its data), but a fan-out job is an event: that
an approved alert was never fanned out cannot be read off its record, and waiting for a restart is
no answer for an approver who just pressed "approve".

Who relays: the process that made the change, right after its commit (the approver waits for no
worker); and housekeeping every second (the workers run it) for what that missed. Any number may run
at once: one alert's effects are applied in the order they were written, stopping at the first that
fails, and the view is written only over an older version's (``alert_shown``), so a rebuild racing
a relay never shows a withdrawn alert again.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

import redis as redis_lib

from bot import redis_keys
from bot.alerts import store as active
from bot.alerts.effects import View
from bot.alerts.lifecycle import FINAL, LIVE
from bot.alerts.model import Alert
from bot.alerts.repository import AlertRepository, PendingEffects
from bot.fanout.queue import FanOutQueue

if TYPE_CHECKING:
    from redis import Redis
    from redis.client import Pipeline

#: How long the mark of an applied change is kept (a week).
APPLIED_MARK_SECONDS = 7 * 86400
#: How long after an alert expires the version of its view is kept.
SHOWN_MARK_SECONDS = 86400
#: Outbox rows relayed per call.
RELAY_BATCH = 100


def _older(shown: bytes | None, version: int) -> bool:
    """Whether the view Redis holds (its version, if any) is older than ``version``'s."""
    return shown is None or int(shown) < version


def _write_view(pipe: Pipeline[bytes], alert: Alert, view: View, version: int) -> None:
    """Queue the commands showing or withdrawing ``alert`` as of ``version``."""
    if view is View.SHOW:
        active.publish(pipe, alert)
    else:
        active.withdraw(pipe, alert)
    key = redis_keys.alert_shown(alert.alert_id)
    pipe.set(key, version)
    pipe.expireat(key, int(alert.expires.timestamp()) + SHOWN_MARK_SECONDS)


class AlertOutbox:
    """Applies the outbox's effects to Redis, and rebuilds what citizens see from the records."""

    def __init__(self, repository: AlertRepository, client: Redis[bytes]) -> None:
        self._repository = repository
        self._redis = client

    def relay(self, alert_id: str | None = None, limit: int = RELAY_BATCH) -> int:
        """Apply what waits in the outbox (one alert's, or everyone's), oldest first, and take it out;
        how many changes were relayed. The first failure stops the relay (and is raised)."""
        return self._repository.relay_pending(self.apply, limit=limit, alert_id=alert_id)

    def apply(self, pending: PendingEffects) -> bool:
        """Apply one change's effects with the mark naming it, in one Redis transaction; False when the
        mark says they were applied already (the relay died before taking them out)."""
        alert, effects = pending.alert, pending.effects
        mark = redis_keys.alert_change_applied(alert.alert_id, pending.version)
        shown = redis_keys.alert_shown(alert.alert_id)
        with self._redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(mark, shown)
                    if pipe.exists(mark):
                        return False
                    current = cast("bytes | None", pipe.get(shown))  # immediate while watching
                    pipe.multi()
                    if effects.view is not None and _older(current, pending.version):
                        _write_view(pipe, alert, effects.view, pending.version)
                    for job in effects.jobs:
                        FanOutQueue.schedule(pipe, job.kind, job.reference, by=job.by)
                    pipe.set(mark, 1, ex=APPLIED_MARK_SECONDS)
                    pipe.execute()
                    return True
                except redis_lib.WatchError:
                    continue  # another relay or the rebuild wrote meanwhile: look again

    def rebuild(self, now: datetime) -> int:
        """Write again what citizens see of every alert not yet expired, from its record (a Redis that
        lost its data, or records brought from elsewhere); how many views were written. A view newer
        than the record read (a relay was quicker) is left alone."""
        written = 0
        for record, version in self._repository.unexpired(now):
            if record.status in LIVE:
                view = View.SHOW
            elif record.status in FINAL:
                view = View.WITHDRAW
            else:
                continue  # a draft or an alert waiting for approval was never shown
            shown = redis_keys.alert_shown(record.alert_id)
            with self._redis.pipeline(transaction=True) as pipe:
                while True:
                    try:
                        pipe.watch(shown)
                        if not _older(cast("bytes | None", pipe.get(shown)), version):
                            break
                        pipe.multi()
                        _write_view(pipe, record.alert, view, version)
                        pipe.execute()
                        written += 1
                        break
                    except redis_lib.WatchError:
                        continue
        return written
