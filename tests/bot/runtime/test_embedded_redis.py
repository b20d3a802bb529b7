"""The embedded Redis of a laptop with nothing installed: it keeps its data across restarts."""

from __future__ import annotations

import socket
from pathlib import Path

import redis

from bot.runtime.embedded_redis import start_embedded_redis


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_embedded_redis_keeps_data_across_restarts(tmp_path: Path) -> None:
    port = _free_port()
    process = start_embedded_redis(tmp_path, port)
    try:
        redis.Redis(port=port).set("baraza:test", "kept")
    finally:
        process.terminate()
        process.wait(10)
    process = start_embedded_redis(tmp_path, port)
    try:
        assert redis.Redis(port=port).get("baraza:test") == b"kept"
    finally:
        process.terminate()
        process.wait(10)
