"""Housekeeping: the periodic work of every feature, scheduled in this one place.

- relay the concern notices waiting in the outbox to the fan-out (each second);
- delete the conversations whose "delete my data" is due (each second);
- mark alerts whose time is over as expired (every 30 s);
- retention (every hour): concern texts past their period, an expiry on idle conversations.

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


class Schedule:
    """Runs each task when its period has passed; a failing task is logged and tried at its next turn."""

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
                log.exception("housekeeping task %s failed; it runs again in %.0f s", task.name, task.every)
            ran.append(task.name)
        return ran


def retention(services: Services) -> None:
    """Data past its retention period goes."""
    services.concerns.purge_expired_texts(services.settings.concern_retention_days)
    expire_idle_conversations(services.redis, services.settings.conversation_retention_days)


def schedule(services: Services) -> Schedule:
    """Every feature's periodic work."""
    return Schedule(
        [
            Task("relay concern notices", RELAY_SECONDS, services.concerns.relay_notices),
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
