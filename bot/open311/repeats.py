"""A retried Open311 POST answers the ticket the first one filed, instead of filing a second concern.

GeoReport v2 has no idempotency key, and a client whose POST timed out cannot know whether it was
filed, so it sends the same POST again. The same key sending the same fields within
:data:`WINDOW_SECONDS` is taken as that retry. Only a digest is kept (no citizen text in Redis), for
a few minutes. Two identical POSTs at once: the second waits for the first's ticket.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot import redis_keys

if TYPE_CHECKING:
    import redis

#: How long a POST is remembered.
WINDOW_SECONDS = 600
#: How long the first of two identical POSTs may take to file before the second gives up.
FILING_SECONDS = 30
PENDING = b"pending"


class Pending:
    """An identical POST is being filed right now."""


PENDING_FILING = Pending()


class StillFiling(Exception):
    """An identical POST is being filed right now and did not finish in time."""


def digest(key_id: str, fields: Mapping[str, str]) -> str:
    """A digest of who sent what (field order and the key's own value left out)."""
    hasher = hashlib.sha256(key_id.encode())
    for name in sorted(fields):
        if name != "api_key":
            hasher.update(b"\0" + name.encode() + b"\0" + fields[name].encode())
    return hasher.hexdigest()


class RepeatedPosts:
    """Claims a POST for filing, or answers the ticket an identical earlier POST got."""

    def __init__(self, client: redis.Redis[bytes], poll_seconds: float = 0.1) -> None:
        self._redis = client
        self._poll = poll_seconds

    def try_claim(self, post: str) -> str | Pending | None:
        """One attempt: None when this POST is new and the caller files it (then :meth:`filed` or
        :meth:`failed`), the ticket an identical earlier POST got, or :data:`PENDING_FILING`."""
        key = redis_keys.open311_post(post)
        if self._redis.set(key, PENDING, nx=True, px=int(FILING_SECONDS * 1000)):
            return None
        value = self._redis.get(key)
        if value is None:
            return self.try_claim(post)  # expired between the two calls
        return PENDING_FILING if value == PENDING else value.decode()

    async def claim(self, post: str) -> str | None:
        """:meth:`try_claim` until the identical POST being filed has its ticket (waiting without
        holding a thread, which the filing needs). Raises :class:`StillFiling` after
        :data:`FILING_SECONDS`."""
        deadline = time.monotonic() + FILING_SECONDS
        while True:
            answer = await asyncio.to_thread(self.try_claim, post)
            if not isinstance(answer, Pending):
                return answer
            if time.monotonic() >= deadline:
                raise StillFiling(post)
            await asyncio.sleep(self._poll)

    def filed(self, post: str, ticket: str) -> None:
        """Remember the ticket for retries of the same POST."""
        self._redis.set(redis_keys.open311_post(post), ticket, ex=WINDOW_SECONDS)

    def failed(self, post: str) -> None:
        """Forget a POST that filed nothing, so a retry files it."""
        self._redis.delete(redis_keys.open311_post(post))
