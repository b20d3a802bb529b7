"""Connections to Redis are made on demand, from the settings, and refused without a URL."""

from __future__ import annotations

import asyncio

import pytest

from bot.redis_client import connect, connect_async
from bot.settings import Settings
from tests.conftest import TEST_REDIS_URL


def test_without_a_url_no_connection_is_attempted() -> None:
    with pytest.raises(RuntimeError, match="REDIS_URL is not set"):
        connect(Settings())
    with pytest.raises(RuntimeError, match="REDIS_URL is not set"):
        connect_async(Settings())


def test_clients_reach_the_configured_redis(redis_client: object) -> None:
    settings = Settings(redis_url=TEST_REDIS_URL)
    client = connect(settings)
    client.set("baraza:test:client", "sync")

    async def read_back() -> bytes | None:
        async_client = connect_async(settings)
        try:
            return await async_client.get("baraza:test:client")
        finally:
            await async_client.close()

    assert asyncio.run(read_back()) == b"sync"
