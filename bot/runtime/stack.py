"""Start and stop the whole assistant: Redis (embedded if none is configured), action server, Rasa
server and web app. Used by ``./baraza run`` and by the end-to-end tests.

Secrets the deployment did not set (Rasa's token, the action server's token, the embedded Redis's
password) are generated at each start and reach the processes through their environment; logs are
written readable by their owner only (files 0600 in a 0700 folder).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

import redis

from bot.runtime.credentials import write_credentials
from bot.runtime.embedded_redis import start_embedded_redis
from bot.runtime.processes import (
    action_server_command,
    rasa_server_command,
    rasa_server_env,
    web_app_command,
    worker_command,
)
from bot.runtime.records import bring_up_to_date
from bot.runtime.redis_env import redis_endpoint_env, tracker_expiry_env
from bot.runtime.redis_policy import eviction_warning
from bot.settings import Settings

logger = logging.getLogger(__name__)

logger = logging.getLogger(__name__)

#: A process that stops this many times within :data:`CRASH_WINDOW` seconds is not started again.
MAX_CRASHES = 5
CRASH_WINDOW = 300.0


class KeepsCrashing(RuntimeError):
    """A process stopped too often (or cannot be started again): the stack gives up."""


#: Threading for one Rasa process on a small server; see README "Performance".
PROCESS_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "TF_INTRA_OP_PARALLELISM_THREADS": "1",
    "TF_INTER_OP_PARALLELISM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONUNBUFFERED": "1",
}


def _wait_http(url: str, timeout: float, process: subprocess.Popen[bytes], name: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - http URL built here
                if response.status < 500:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{name} did not answer at {url} within {timeout:.0f} s")


def channel_env(settings: Settings) -> dict[str, str]:
    """The channels' settings, for the processes that reach the providers themselves: the Rasa server
    reads its credentials file, but the delivery workers push alerts through the channels too."""
    return {
        "TELEGRAM_TOKEN": settings.telegram_token,
        "TELEGRAM_SECRET_TOKEN": settings.telegram_secret_token,
        "TELEGRAM_API_URL": settings.telegram_api_url,
        "AFRICASTALKING_USERNAME": settings.africastalking_username,
        "AFRICASTALKING_API_KEY": settings.africastalking_api_key,
        "AFRICASTALKING_API_URL": settings.africastalking_api_url,
        "AFRICASTALKING_SENDER": settings.africastalking_sender,
        "AFRICASTALKING_CALLBACK_TOKEN": settings.africastalking_callback_token,
        "TWILIO_ACCOUNT_SID": settings.twilio_account_sid,
        "TWILIO_AUTH_TOKEN": settings.twilio_auth_token,
        "TWILIO_API_URL": settings.twilio_api_url,
        "TWILIO_SMS_NUMBER": settings.twilio_sms_number,
        "TWILIO_WHATSAPP_NUMBER": settings.twilio_whatsapp_number,
        "TWILIO_WEBHOOK_BASE_URL": settings.twilio_webhook_base_url,
        "FACEBOOK_VERIFY": settings.facebook_verify,
        "FACEBOOK_SECRET": settings.facebook_secret,
        "FACEBOOK_PAGE_ACCESS_TOKEN": settings.facebook_page_access_token,
        "FACEBOOK_GRAPH_URL": settings.facebook_graph_url,
        "BARAZA_SMS_MAX_SEGMENTS": str(settings.sms_max_segments),
    }


@dataclass
class Stack:
    """The running processes of one Baraza deployment on this machine."""

    settings: Settings
    model: Path
    log_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _commands: dict[str, tuple[list[str], dict[str, str] | None]] = field(default_factory=dict)
    _crashes: dict[str, list[float]] = field(default_factory=dict)
    _logs: list[IO[bytes]] = field(default_factory=list)

    def environment(self) -> dict[str, str]:
        """The environment every child process gets."""
        env = dict(os.environ)
        env.update(PROCESS_ENV)
        env.update(redis_endpoint_env(self.settings.redis_url))
        env.update(tracker_expiry_env(self.settings.conversation_retention_days))
        env.update(
            {
                "REDIS_URL": self.settings.redis_url,
                "DATABASE_URL": self.settings.effective_database_url,
                "RASA_AUTH_TOKEN": self.settings.rasa_auth_token,
                "ACTION_SERVER_URL": self.settings.action_server_url,
                "ACTION_SERVER_TOKEN": self.settings.action_server_token,
                "BARAZA_ACTION_SERVER_HOST": self.settings.action_server_host,
                "BARAZA_PUBLIC_URL": self.settings.public_url,
                "BARAZA_WIDGET_ORIGINS": ",".join(self.settings.widget_origins),
                "BARAZA_REST_CHANNEL": "on" if self.settings.rest_channel else "off",
                "RASA_URL": self.settings.rasa_url,
                "RASA_PUBLIC_URL": self.settings.rasa_public_url,
                "BARAZA_WEB_PORT": str(self.settings.web_port),
                # the Rasa servers and the workers must agree: it says whether workers reach the sockets
                "BARAZA_SOCKETIO_ACROSS_REPLICAS": "on" if self.settings.socketio_across_replicas else "off",
            }
        )
        if self.settings.limits_file:
            env["BARAZA_LIMITS_FILE"] = str(self.settings.limits_file)
        if self.settings.delivery_file:
            env["BARAZA_DELIVERY_FILE"] = str(self.settings.delivery_file)
        env.update(channel_env(self.settings))
        if self.settings.desks_file:
            env["BARAZA_DESKS_FILE"] = str(self.settings.desks_file)
        return env

    def spawn(
        self, name: str, command: list[str], extra_env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        self.log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.log_dir.chmod(0o700)
        path = self.log_dir / f"{name}.log"
        path.touch(mode=0o600, exist_ok=True)
        path.chmod(0o600)
        log = path.open("ab")
        self._logs.append(log)
        process = subprocess.Popen(
            command,
            cwd=self.settings.project_root,
            env={**self.environment(), **(extra_env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes[name] = process
        self._commands[name] = (command, extra_env)
        return process

    def crash(self, name: str) -> None:
        """Kill one process without a clean shutdown, as a crash or a lost machine would."""
        self.processes[name].kill()
        self.processes[name].wait(timeout=20)

    def revive(self, name: str, timeout: float = 60.0, wait: bool = True) -> None:
        """Start a crashed process again with its original command (waits for the action server)."""
        command, extra_env = self._commands[name]
        process = self.spawn(name, command, extra_env)
        if wait and name == "action-server":
            port = self.settings.action_server_port
            _wait_http(f"http://127.0.0.1:{port}/health", timeout, process, "action server")

    def revive_stopped(self, now: float | None = None) -> list[tuple[str, int]]:
        """Supervision: start again every process that stopped; returns (name, exit code) of each.

        Conversations, subscriptions and queued deliveries live in Redis and the database, so a
        restarted process picks up where the crashed one was. :class:`KeepsCrashing` when one stopped
        :data:`MAX_CRASHES` times in :data:`CRASH_WINDOW` seconds, or cannot be restarted (the
        embedded Redis, whose data the others depend on).
        """
        moment = time.monotonic() if now is None else now
        revived = []
        for name, process in list(self.processes.items()):
            code = process.poll()
            if code is None:
                continue
            recent = [t for t in self._crashes.get(name, []) if moment - t < CRASH_WINDOW] + [moment]
            self._crashes[name] = recent
            if name not in self._commands or len(recent) >= MAX_CRASHES:
                raise KeepsCrashing(f"{name} stopped (exit code {code}) {len(recent)} time(s); giving up")
            self.revive(name, wait=False)
            revived.append((name, code))
        return revived

    def start(self, timeout: float = 180.0) -> None:
        """Start everything and wait until each part answers."""
        self.prepare()
        self.launch(timeout)

    def prepare(self) -> None:
        """What every layout needs before its processes start: the data folder, Redis (embedded unless
        configured, with a generated password), generated tokens, migrations."""
        # the data folder holds the SQLite concerns, the credentials file, logs: its owner's only
        self.settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.settings.data_dir.chmod(0o700)
        if not self.settings.redis_url:
            port = self.settings.embedded_redis_port
            password = secrets.token_urlsafe(24)
            self.processes["redis"] = start_embedded_redis(self.settings.data_dir / "redis", port, password)
            self.settings = replace(self.settings, redis_url=f"redis://:{password}@127.0.0.1:{port}/0")
        warning = eviction_warning(redis.Redis.from_url(self.settings.redis_url, socket_timeout=5))
        if warning:
            logger.warning(warning)
        if not self.settings.rasa_auth_token:
            self.settings = replace(self.settings, rasa_auth_token=secrets.token_urlsafe(24))
        if not self.settings.action_server_token:
            self.settings = replace(self.settings, action_server_token=secrets.token_urlsafe(24))
        if self.settings.rest_channel:
            logger.warning(
                "the REST channel is on (BARAZA_REST_CHANNEL): anyone reaching Rasa can chat as any "
                "rest: sender; for development and tests only"
            )
        bring_up_to_date(self.settings)  # schema, scoped ids, old records out of Redis

    def launch(self, timeout: float) -> None:
        """One of each process; wait until each answers."""
        actions = self.spawn("action-server", action_server_command(self.settings.action_server_port))
        rasa = self.spawn(
            "rasa",
            rasa_server_command(self.settings, self.model, write_credentials(self.settings)),
            rasa_server_env(self.settings),
        )
        web = self.spawn("web", web_app_command())
        self.spawn("worker", worker_command(f"{socket.gethostname()}-worker-1"))
        action_port = self.settings.action_server_port
        _wait_http(f"http://127.0.0.1:{action_port}/health", timeout, actions, "action server")
        _wait_http(f"http://127.0.0.1:{self.settings.web_port}/health", timeout, web, "web app")
        _wait_http(f"http://127.0.0.1:{self.settings.rasa_port}/", timeout, rasa, "Rasa server")

    def stop(self) -> None:
        """Stop every process (web and Rasa first, Redis last)."""
        for name in reversed(list(self.processes)):
            process = self.processes[name]
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in self._logs:
            log.close()
        self.processes.clear()
