"""Housekeeping: the periodic work of every feature, scheduled in this one place.

- relay the concern notices waiting in the outbox to the fan-out (each second);
- relay the consequences of alert changes waiting in the alert outbox to Redis (each second);
- delete the conversations whose "delete my data" is due (each second);
- mark alerts whose time is over as expired (every 30 s);
- retention (every hour): concern texts past their period, an expiry on idle conversations, the
  unanswered questions and the handoff records older than conversations are kept.

``python -m bot.housekeeping`` runs it alone; the delivery workers also run it between their rounds
(``./baraza run`` and docker-compose do), which is safe with any number of them: every task is
idempotent.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from bot.services import Services, shared
from bot.subscriptions.forget import expire_idle_conversations, forget_due

log = logging.getLogger(__name__)

RELAY_SECONDS = 1.0
FORGET_SECONDS = 1.0
EXPIRY_SECONDS = 30.0
RETENTION_SECONDS = 3600.0


@dataclass
class Task:
    """One periodic job."""

    name: str
    every: float  #: seconds between runs
    run: Callable[[], object]
    last: float = field(default=float("-inf"))  #: monotonic time of the last run (never: due at once)
    failing: bool = False  #: the last run failed (logged once, not at every turn)


class Schedule:
    """Runs each task when its period has passed; a failing task is tried again at its next turn, and
    logged when it starts failing and when it recovers (not every second while a store is down)."""

    def __init__(self, tasks: list[Task], clock: Callable[[], float] = time.monotonic) -> None:
        self.tasks = tasks
        self._clock = clock

    def run_due(self) -> list[str]:
        """Run the tasks that are due; the names of those that ran."""
        ran = []
        for task in self.tasks:
            now = self._clock()
            if now - task.last < task.every:
                continue
            task.last = now
            try:
                task.run()
            except Exception:
                if not task.failing:
                    log.exception("housekeeping task %s failed; retried every %.0f s", task.name, task.every)
                task.failing = True
            else:
                if task.failing:
                    log.info("housekeeping task %s works again", task.name)
                task.failing = False
            ran.append(task.name)
        return ran


def retention(services: Services) -> None:
    """Data past its retention period goes."""
    services.concerns.purge_expired_texts(services.settings.concern_retention_days)
    expire_idle_conversations(services.redis, services.settings.conversation_retention_days)
    kept = timedelta(days=services.settings.conversation_retention_days)
    services.unanswered.forget_before(services.now() - kept)  # kept as long as conversations
    services.handoffs.forget_before(services.now() - kept)  # their records too


def schedule(services: Services) -> Schedule:
    """Every feature's periodic work."""
    return Schedule(
        [
            Task("relay concern notices", RELAY_SECONDS, services.concerns.relay_notices),
            Task("relay alert changes", RELAY_SECONDS, services.alert_outbox.relay),
            Task("forget conversations", FORGET_SECONDS, lambda: forget_due(services.redis)),
            Task("expire alerts", EXPIRY_SECONDS, services.alerts.expire_due),
            Task("retention", RETENTION_SECONDS, lambda: retention(services)),
        ]
    )


def main(argv: list[str]) -> int:
    """``python -m bot.housekeeping``: run the schedule until stopped."""
    if argv:
        print("usage: python -m bot.housekeeping", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    tasks = schedule(shared())
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        tasks.run_due()
        time.sleep(0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
