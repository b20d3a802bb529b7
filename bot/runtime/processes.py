"""The command lines of Baraza's processes, in one place (docker-compose.yml names the same ones).

No secret is ever on a command line (``ps`` shows them to every user of the machine): the Rasa token,
the action server's token and Redis passwords reach the processes through their environment.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.settings import Settings

#: The default ports (``Settings.rasa_port`` and ``Settings.action_server_port`` choose them).
RASA_PORT = Settings.rasa_port
ACTION_SERVER_PORT = Settings.action_server_port


def rasa_server_env(settings: Settings) -> dict[str, str]:
    """Environment of the Rasa server process: its number of Sanic workers."""
    return {"SANIC_WORKERS": str(max(1, settings.rasa_workers))}


def action_server_command(port: int = ACTION_SERVER_PORT) -> list[str]:
    """The rasa-sdk action server serving ``actions/`` (language models loaded before it listens;
    it takes its token and interface from the settings)."""
    return [sys.executable, "-m", "actions.serve", "--actions", "actions", "--port", str(port)]


def rasa_server_command(settings: Settings, model: Path, credentials: Path) -> list[str]:
    """The Rasa server (with :mod:`rasa_addons.speedups`): its channels (``credentials``), HTTP API
    protected by the auth token (which :mod:`rasa_addons.serve` reads from RASA_AUTH_TOKEN), CORS
    for the web app's origin only."""
    return [
        sys.executable,
        "-m",
        "rasa_addons.serve",
        "run",
        "--model",
        str(model),
        "--endpoints",
        "endpoints.yml",
        "--credentials",
        str(credentials),
        "--port",
        str(settings.rasa_port),
        "--enable-api",
        "--cors",
        *settings.browser_origins,
    ]


def web_app_command() -> list[str]:
    """The Sanic app: web chat page, ministry API, public feeds and health endpoints."""
    return [sys.executable, "-m", "bot.web"]


def worker_command(name: str = "") -> list[str]:
    """A delivery worker (fan-out of alerts); run as many as needed."""
    return [sys.executable, "-m", "bot.fanout", *(["--name", name] if name else [])]
