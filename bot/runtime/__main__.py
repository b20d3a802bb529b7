"""``python -m bot.runtime run``: train if needed, start everything, print where to chat.

``./baraza run`` calls this after preparing the Python environment.
"""

from __future__ import annotations

import os
import signal
import sys
import time

from bot.runtime.cluster import Cluster
from bot.runtime.credentials import write_credentials
from bot.runtime.processes import (
    action_server_command,
    rasa_server_command,
    rasa_server_env,
    web_app_command,
    worker_command,
)
from bot.runtime.redis_env import redis_endpoint_env, tracker_expiry_env
from bot.runtime.redis_policy import eviction_warning
from bot.runtime.stack import PROCESS_ENV, KeepsCrashing, Stack
from bot.runtime.training import ensure_model, ensure_sentence_vectors, model_path
from bot.settings import load_settings

REST_WARNING = (
    "WARNING: the REST channel is on (BARAZA_REST_CHANNEL=on). It proves nothing about its senders: "
    "for development and tests only (its conversations are rest:<sender>, apart from every citizen's)."
)


def run() -> int:
    """Run until interrupted."""
    settings = load_settings()
    model = ensure_model(settings)
    ensure_sentence_vectors(settings)
    log_dir = settings.data_dir / "logs"
    stack = (
        Cluster(settings=settings, model=model, log_dir=log_dir, replicas=settings.replicas)
        if settings.replicas > 1
        else Stack(settings=settings, model=model, log_dir=log_dir)
    )
    embedded = not settings.redis_url
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("starting Redis, action server, Rasa server, web app and delivery worker...", flush=True)
    if settings.rest_channel:
        print(REST_WARNING, file=sys.stderr, flush=True)
    try:
        stack.start()
        if embedded:
            import os

            from bot.alerts.load_samples import main as load_samples

            os.environ["REDIS_URL"] = stack.settings.redis_url
            load_samples([])
        rest = ", REST" if settings.rest_channel else ""
        generated = "" if settings.rasa_auth_token else f", generated: {stack.settings.rasa_auth_token}"
        print(
            "\nBaraza is running.\n"
            f"  Chat with it:      http://localhost:{settings.web_port}/\n"
            f"  Ministry console:  http://localhost:{settings.web_port}/console\n"
            "    get a key with:  .venv/bin/python -m bot.auth create"
            " --ministry meteo --role admin --name 'Your Name' --person your-staff-id\n"
            f"  Analyst dashboard: http://localhost:{settings.web_port}/dashboard\n"
            f"  Ministry API:      http://localhost:{settings.web_port}/api/v1  (document: /openapi.json)\n"
            f"  Open311 GeoReport: http://localhost:{settings.web_port}/open311/v2/services.xml\n"
            f"  Rasa (socket.io, API{rest}): {stack.settings.rasa_public_url}"
            f"  (token: RASA_AUTH_TOKEN{generated})\n"
            f"  Redis:             {stack.settings.redis_url}{' (embedded)' if embedded else ''}\n"
            f"  Logs:              {stack.log_dir}\n"
            "Press Ctrl+C to stop.",
            flush=True,
        )
        while not stopping:
            try:
                for name, code in stack.revive_stopped():
                    print(f"{name} stopped (exit code {code}); started again", file=sys.stderr)
            except KeepsCrashing as error:
                print(f"{error}; see {stack.log_dir}", file=sys.stderr)
                return 1
            time.sleep(1)
        return 0
    finally:
        stack.stop()


def serve(process: str) -> int:
    """Run one process in the foreground (a container's command in docker-compose.yml)."""
    settings = load_settings()
    if not settings.redis_url:
        print("REDIS_URL must be set to serve a single process", file=sys.stderr)
        return 2
    commands = {
        "rasa": lambda: rasa_server_command(
            settings, model_path(settings.project_root), write_credentials(settings)
        ),
        "actions": action_server_command,
        "web": web_app_command,
        "worker": worker_command,
    }
    if process not in commands:
        print(f"unknown process {process!r}; one of: {', '.join(commands)}", file=sys.stderr)
        return 2
    if process == "rasa" and not settings.rasa_auth_token:
        print("RASA_AUTH_TOKEN must be set: it protects Rasa's HTTP API", file=sys.stderr)
        return 2
    if process in ("rasa", "actions") and not settings.action_server_token:
        print(
            "ACTION_SERVER_TOKEN must be set: Rasa proves itself to the action server with it",
            file=sys.stderr,
        )
        return 2
    if process == "rasa" and settings.rest_channel:
        print(REST_WARNING, file=sys.stderr, flush=True)
    if process in ("actions", "web"):
        from bot.runtime.records import bring_up_to_date

        bring_up_to_date(settings)  # idempotent; the first container to start does the work
    import redis

    warning = eviction_warning(redis.Redis.from_url(settings.redis_url, socket_timeout=5))
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    os.environ.update(PROCESS_ENV)
    if process == "rasa":
        os.environ.update(rasa_server_env(settings))
    os.environ.update(redis_endpoint_env(settings.redis_url))
    os.environ.update(tracker_expiry_env(settings.conversation_retention_days))
    command = commands[process]()
    os.execv(command[0], command)  # noqa: S606 - replaces this process, as a container command
    return 0  # not reached


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    if argv[:1] == ["run"]:
        return run()
    if argv[:1] == ["serve"] and len(argv) == 2:
        return serve(argv[1])
    print("usage: python -m bot.runtime run | serve {rasa,actions,web,worker}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
