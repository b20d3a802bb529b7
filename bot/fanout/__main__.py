"""``python -m bot.fanout [--name NAME]``: run one delivery worker (start as many as you like).

Each worker joins the consumer groups of the fan-out streams in Redis (REDIS_URL) and delivers
alerts straight through the channels configured in the environment that can push (Telegram, Twilio
SMS and WhatsApp, Africa's Talking SMS, Messenger, and the web chat when its sockets are shared
through Redis, BARAZA_SOCKETIO_ACROSS_REPLICAS: ``bot/channels/direct.py``), everything else through
Rasa's HTTP API (RASA_URL, RASA_AUTH_TOKEN); ``--through-rasa`` sends everything through Rasa.

Give a worker a stable ``--name`` (e.g. the container's name) so that, restarted, it first finishes
what it had taken; entries of a worker that never comes back are taken over by the others after
``--claim-after`` seconds.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path
from typing import Callable

from bot.alerts.record import AlertNotFound
from bot.assistant.alert_messages import PushedMessage, alert_notice
from bot.channels.direct import DirectDelivery, Words, direct_outputs
from bot.fanout.channels import DeliveryChannel, NullChannel, RasaTrigger
from bot.fanout.heartbeat import Heartbeat
from bot.fanout.pacing import ChannelPacer
from bot.fanout.worker import DeliveryWorker, WorkerOptions
from bot.housekeeping import schedule
from bot.runtime.credentials import channel_credentials
from bot.services import Services, shared


def alert_words(services: Services) -> Words:
    """How the direct delivery words an alert notice: as the conversation's push would."""

    def words(alert_id: str, cancelled: bool, language: str) -> PushedMessage | None:
        catalogues = services.catalogues()
        chosen = catalogues.languages.get(
            language if language in catalogues.languages.codes else catalogues.languages.default
        )
        try:
            record = services.repository.get(alert_id)
        except AlertNotFound:
            return None
        message = alert_notice(catalogues, chosen.code, record, cancelled)
        if message is None:
            return None
        extra = {"language": chosen.code, "direction": chosen.direction, **message.extra}
        return PushedMessage(message.text, extra)

    return words


def build_worker(
    services: Services, options: WorkerOptions, *, housekeeping: bool = True, direct: bool = True
) -> DeliveryWorker:
    """A worker delivering alerts straight through the channels that can push (``direct``) and the
    rest through Rasa (and to the null channel used by benchmarks), running the housekeeping schedule
    between its rounds unless told not to."""
    rasa = RasaTrigger(services.settings.rasa_url, services.settings.rasa_auth_token)
    null = NullChannel(services.redis)
    outputs = direct_outputs(channel_credentials(services.settings)) if direct else {}
    through: DeliveryChannel = (
        DirectDelivery(outputs, alert_words(services), services.pushed_notices, rasa) if outputs else rasa
    )

    def channel(name: str) -> DeliveryChannel:
        return null if name == "null" else through

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
        on_stop=through.close if isinstance(through, DirectDelivery) else None,
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
        "--through-rasa",
        action="store_true",
        help="deliver every notice as a turn of the conversation (Rasa's trigger_intent), as before",
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
        direct=not args.through_rasa,
    )

    def stop(*_: object) -> None:
        worker.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    services.catalogues()  # read before taking work: else the first batch waits seconds for them
    worker.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
