"""Long SMS answers in pages: the first goes now, the rest waits behind "MORE" (shared by SMS gateways).

Each message is first made as cheap as it can be (``formatting.gsm_friendly``); pages are cut to
``max_segments`` segments of the text's encoding, between words and never inside a link. The reply
that asks for the next page is the word shown on the page, in the citizen's language (MORE, SUITE,
ZAIDI...); any other reply goes to the assistant as usual.
"""

from __future__ import annotations

import json
import logging

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from bot import redis_keys
from bot.channels.formatting import capacity, gsm_friendly, paginate, strip_markdown
from bot.phrases import fold
from bot.services import shared

logger = logging.getLogger(__name__)

KEPT_SECONDS = 24 * 3600


class SmsPager:
    """Cuts messages into pages and hands out the held ones."""

    def __init__(self, max_segments: int) -> None:
        self._max_segments = max_segments

    def _store(self) -> aioredis.Redis[bytes]:
        return shared().async_redis

    def more_word(self, language: str) -> str:
        """The word to reply for the next page, in ``language``."""
        return shared().locale(language).text("ussd_more").upper()

    async def first_page(self, address: str, text: str, language: str) -> str:
        """The page to send now; the others are kept for MORE."""
        message = gsm_friendly(strip_markdown(text)).strip()
        more = self.more_word(language)
        pages = paginate(message, capacity(message, self._max_segments), more)
        key = redis_keys.sms_pages(address)
        try:
            if len(pages) > 1:
                await self._store().set(key, json.dumps({"pages": pages[1:], "more": more}), ex=KEPT_SECONDS)
            else:
                await self._store().delete(key)
        except RedisError:  # Redis down: the first page (e.g. the try-again text) still goes out
            logger.warning("SMS page store unavailable; %d later page(s) not kept", len(pages) - 1)
        return pages[0]

    async def next_page(self, address: str, reply: str) -> str | None:
        """The next held page if ``reply`` asks for it, else None."""
        key = redis_keys.sms_pages(address)
        try:
            raw = await self._store().get(key)
        except RedisError:  # Redis down: the reply goes to the assistant, which says to try again
            logger.warning("SMS page store unavailable; the reply is handled as a message")
            return None
        if not raw:
            return None
        held = json.loads(raw)
        if fold(reply) != fold(held["more"]):
            return None
        page, rest = held["pages"][0], held["pages"][1:]
        if rest:
            await self._store().set(key, json.dumps({"pages": rest, "more": held["more"]}), ex=KEPT_SECONDS)
        else:
            await self._store().delete(key)
        return str(page)
