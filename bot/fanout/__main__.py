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

from bot.fanout.channels import DeliveryChannel, NullChannel, RasaTrigger
from bot.fanout.pacing import ChannelPacer
from bot.fanout.worker import DeliveryWorker, WorkerOptions
from bot.settings import load_settings
from bot.subscriptions.forget import expire_idle_conversations
from bot.wiring import Services


def build_worker(services: Services, options: WorkerOptions) -> DeliveryWorker:
    """A worker delivering through Rasa (and to the null channel used by benchmarks)."""
    rasa = RasaTrigger(services.settings.rasa_url, services.settings.rasa_auth_token)
    null = NullChannel(services.redis)

    def channel(name: str) -> DeliveryChannel:
        return null if name == "null" else rasa

    return DeliveryWorker(
        services.redis,
        services.alerts,
        services.repository,
        channel,
        ChannelPacer(services.redis, services.delivery_policy),
        services.delivery_policy.retries,
        options,
        housekeeping=lambda: housekeeping(services),
    )


def housekeeping(services: Services) -> None:
    """What the workers do every hour: data past its retention goes."""
    services.concerns.purge_expired_texts(services.settings.concern_retention_days)
    expire_idle_conversations(services.redis, services.settings.conversation_retention_days)


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m bot.fanout", description="Run a delivery worker.")
    parser.add_argument("--name", default="", help="consumer name (default: host-pid)")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument(
        "--claim-after", type=float, default=60.0, help="seconds before taking over others' work"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    if not settings.redis_url:
        print("REDIS_URL must be set (./baraza run sets it)", file=sys.stderr)
        return 2
    worker = build_worker(
        Services(settings), WorkerOptions(name=args.name, batch=args.batch, claim_after=args.claim_after)
    )

    def stop(*_: object) -> None:
        worker.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    worker.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
