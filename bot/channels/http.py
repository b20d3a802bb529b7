"""What the channels' outputs share about calling their provider's HTTP API.

Inside the Rasa server each call opens its own connection (a turn sends a message or two). A delivery
worker sends thousands a second through the same outputs (``bot/channels/direct.py``) and gives them
one session with a connection pool instead (``keepalive.py``: a lean HTTP/1.1 client, a fraction of
aiohttp's CPU per call), so connections are kept alive between messages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

from bot.channels.keepalive import KeepAliveSession

#: Seconds one provider call may take.
CALL_SECONDS = 15
#: Statuses worth another try later (a busy or throttling provider); any other refusal is final.
PASSING_STATUSES = frozenset({408, 409, 425, 429})


class ProviderError(Exception):
    """A provider refused a message (``status``: its HTTP status; 0 when it was refused here)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status

    @property
    def passing(self) -> bool:
        """Whether trying again later may succeed (throttled, timed out, the provider's own fault)."""
        return self.status in PASSING_STATUSES or self.status >= 500


class KeepsSession:
    """Mixed into an output: calls go through ``session`` when one is given, else a new one each."""

    session: aiohttp.ClientSession | KeepAliveSession | None = None

    @asynccontextmanager
    async def provider_session(self) -> AsyncIterator[aiohttp.ClientSession | KeepAliveSession]:
        """The session for one call."""
        if self.session is not None:
            yield self.session
            return
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=CALL_SECONDS)) as session:
            yield session
