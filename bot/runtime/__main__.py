"""``python -m bot.runtime run``: train if needed, start everything, print where to chat.

``./baraza run`` calls this after preparing the Python environment.
"""

from __future__ import annotations

import signal
import sys
import time

from bot.runtime.stack import Stack
from bot.runtime.training import ensure_model
from bot.settings import load_settings


def run() -> int:
    """Run until interrupted."""
    settings = load_settings()
    model = ensure_model(settings)
    stack = Stack(settings=settings, model=model, log_dir=settings.data_dir / "logs")
    embedded = not settings.redis_url
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("starting Redis, action server, Rasa server and web app...", flush=True)
    try:
        stack.start()
        if embedded:
            import os

            from bot.alerts.load_samples import main as load_samples

            os.environ["REDIS_URL"] = stack.settings.redis_url
            load_samples([])
        generated = "" if settings.rasa_auth_token else f", generated: {stack.settings.rasa_auth_token}"
        print(
            "\nBaraza is running.\n"
            f"  Chat with it:      http://localhost:{settings.web_port}/\n"
            f"  Rasa (REST, socket.io, API): http://localhost:5005  (token: RASA_AUTH_TOKEN{generated})\n"
            f"  Redis:             {stack.settings.redis_url}{' (embedded)' if embedded else ''}\n"
            f"  Logs:              {stack.log_dir}\n"
            "Press Ctrl+C to stop.",
            flush=True,
        )
        while not stopping:
            for name, process in stack.processes.items():
                if process.poll() is not None:
                    print(
                        f"{name} stopped (exit code {process.returncode}); see {stack.log_dir}",
                        file=sys.stderr,
                    )
                    return 1
            time.sleep(1)
        return 0
    finally:
        stack.stop()


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    if argv[:1] == ["run"]:
        return run()
    print("usage: python -m bot.runtime run", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
