"""The embedded Redis of a laptop with nothing installed: it keeps its data across restarts, and nobody
without its password gets in (the password is on no command line)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import redis

from bot.runtime.embedded_redis import start_embedded_redis


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_embedded_redis_keeps_data_across_restarts(tmp_path: Path) -> None:
    port = _free_port()
    process = start_embedded_redis(tmp_path, port, "first-password")
    try:
        redis.Redis(port=port, password="first-password").set("baraza:test", "kept")
    finally:
        process.terminate()
        process.wait(10)
    process = start_embedded_redis(tmp_path, port, "second-password")
    try:
        assert redis.Redis(port=port, password="second-password").get("baraza:test") == b"kept"
    finally:
        process.terminate()
        process.wait(10)


def test_embedded_redis_refuses_clients_without_its_password(tmp_path: Path) -> None:
    port = _free_port()
    process = start_embedded_redis(tmp_path, port, "s3cret-generated")
    try:
        with pytest.raises(redis.AuthenticationError):
            redis.Redis(port=port).set("baraza:test", "stolen")
        with pytest.raises(redis.AuthenticationError):
            redis.Redis(port=port, password="guess").ping()
        assert "s3cret-generated" not in Path(f"/proc/{process.pid}/cmdline").read_text()
        assert (tmp_path / "redis.conf").stat().st_mode & 0o077 == 0
    finally:
        process.terminate()
        process.wait(10)
