import socket
from pathlib import Path

import pytest
import redis

from bot.runtime.embedded_redis import start_embedded_redis
from bot.runtime.redis_env import redis_endpoint_env


def test_redis_url_becomes_the_endpoint_variables() -> None:
    assert redis_endpoint_env("redis://:s%40cret@cache.internal:6380/2") == {
        "REDIS_HOST": "cache.internal",
        "REDIS_PORT": "6380",
        "REDIS_DB": "2",
        "REDIS_PASSWORD": "s@cret",
    }
    assert redis_endpoint_env("redis://localhost")["REDIS_DB"] == "0"


@pytest.mark.parametrize("bad", ["http://x:1/0", "redis://x:1/abc"])
def test_bad_redis_url_is_refused_with_a_reason(bad: str) -> None:
    with pytest.raises(ValueError, match="REDIS_URL"):
        redis_endpoint_env(bad)


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
