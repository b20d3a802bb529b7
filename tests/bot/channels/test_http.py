"""Provider calls: which refusals are worth a retry, and the worker's kept-alive session."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from bot.channels.http import KeepsSession, ProviderError


@pytest.mark.parametrize(
    ("status", "passing"),
    [(0, False), (400, False), (403, False), (408, True), (429, True), (500, True), (503, True)],
)
def test_throttling_and_the_providers_own_faults_are_passing(status: int, passing: bool) -> None:
    assert ProviderError("refused", status).passing is passing


def test_an_output_uses_the_session_it_is_given_else_one_per_call() -> None:
    async def scenario() -> None:
        output = KeepsSession()
        async with output.provider_session() as first, output.provider_session() as second:
            assert first is not second  # inside the Rasa server: a session per call
        assert first.closed
        async with aiohttp.ClientSession() as shared:
            output.session = shared
            async with output.provider_session() as used:
                assert used is shared
            assert not shared.closed  # the worker's pool outlives the call

    asyncio.run(scenario())
