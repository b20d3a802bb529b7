"""Redis never makes room by deleting conversations: the embedded one refuses writes when full, and
the launcher warns about a Redis that would evict."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import redis
from redis.exceptions import OutOfMemoryError

from bot.runtime.embedded_redis import start_embedded_redis
from bot.runtime.redis_policy import SAFE_POLICY, eviction_warning


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_full_embedded_redis_refuses_writes_and_keeps_every_conversation(tmp_path: Path) -> None:
    port = _free_port()
    process = start_embedded_redis(tmp_path, port)
    try:
        client = redis.Redis(port=port)
        assert eviction_warning(client) is None
        conversations = [f"barazatracker:tracker:c-{n}" for n in range(50)]
        for key in conversations:
            client.set(key, "x" * 10_000)
        client.config_set("maxmemory", str(client.info("memory")["used_memory"]))  # full now
        with pytest.raises(OutOfMemoryError):
            client.set("barazatracker:tracker:one-more", "x" * 10_000)
        assert client.exists(*conversations) == len(conversations)  # none evicted to make room

        client.config_set("maxmemory-policy", "allkeys-lru")  # what a managed Redis may default to
        warning = eviction_warning(client)
        assert warning is not None and "allkeys-lru" in warning and SAFE_POLICY in warning
    finally:
        process.terminate()
        process.wait(10)


def test_a_redis_that_cannot_be_asked_gives_no_warning() -> None:
    assert eviction_warning(redis.Redis(port=_free_port(), socket_timeout=1)) is None
