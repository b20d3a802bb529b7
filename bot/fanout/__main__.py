"""``python -m bot.fanout [--name NAME]``: run one delivery worker (start as many as you like).

Each worker joins the consumer groups of the fan-out streams in Redis (REDIS_URL) and delivers
through Rasa's HTTP API (RASA_URL, RASA_AUTH_TOKEN). Give a worker a stable ``--name`` (e.g. the
container's name) so that, restarted, it first finishes what it had taken; entries of a worker that
never comes back are taken over by the others after ``--claim-after`` seconds.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path
from typing import Callable

from bot.fanout.channels import DeliveryChannel, NullChannel, RasaTrigger
from bot.fanout.heartbeat import Heartbeat
from bot.fanout.pacing import ChannelPacer
from bot.fanout.worker import DeliveryWorker, WorkerOptions
from bot.housekeeping import schedule
from bot.services import Services, shared


def build_worker(services: Services, options: WorkerOptions, *, housekeeping: bool = True) -> DeliveryWorker:
    """A worker delivering through Rasa (and to the null channel used by benchmarks), running the
    housekeeping schedule between its rounds unless told not to."""
    rasa = RasaTrigger(services.settings.rasa_url, services.settings.rasa_auth_token)
    null = NullChannel(services.redis)

    def channel(name: str) -> DeliveryChannel:
        return null if name == "null" else rasa

    chores: list[Callable[[], object]] = [schedule(services).run_due] if housekeeping else []
    if services.settings.worker_heartbeat:
        chores.append(Heartbeat(Path(services.settings.worker_heartbeat)).beat)

    def between_rounds() -> None:
        for chore in chores:
            chore()

    return DeliveryWorker(
        services.redis,
        services.broadcasts,
        channel,
        ChannelPacer(services.redis, services.delivery_policy),
        services.delivery_policy.retries,
        options,
        between_rounds=between_rounds if chores else None,
        languages=services.subscriptions.languages,
    )


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m bot.fanout", description="Run a delivery worker.")
    parser.add_argument("--name", default="", help="consumer name (default: host-pid)")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument(
        "--claim-after", type=float, default=60.0, help="seconds before taking over others' work"
    )
    parser.add_argument(
        "--no-housekeeping",
        action="store_true",
        help="only deliver (run python -m bot.housekeeping elsewhere)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    services = shared()
    if not services.settings.redis_url:
        print("REDIS_URL must be set (./baraza run sets it)", file=sys.stderr)
        return 2
    worker = build_worker(
        services,
        WorkerOptions(name=args.name, batch=args.batch, claim_after=args.claim_after),
        housekeeping=not args.no_housekeeping,
    )

    def stop(*_: object) -> None:
        worker.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    worker.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
