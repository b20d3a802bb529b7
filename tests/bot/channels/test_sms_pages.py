"""Long SMS answers in pages: the first now, the others held until the citizen replies MORE."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from bot import redis_keys
from bot.channels.formatting import segments
from bot.channels.sms_pages import KEPT_SECONDS, SmsPager
from bot.services import Services, use

LONG = " ".join(f"word{i}" for i in range(120))  # about 800 characters: more than one 1-segment page


@pytest.fixture()
def installed(services: Services) -> Iterator[Services]:
    use(services)
    yield services
    use(None)


def test_a_short_answer_goes_whole_and_holds_nothing(installed: Services) -> None:
    pager = SmsPager(max_segments=3)
    installed.redis.set(redis_keys.sms_pages("+254700"), "stale")
    assert asyncio.run(pager.first_page("+254700", "**Hello** – welcome", "en")) == "Hello - welcome"
    assert not installed.redis.exists(redis_keys.sms_pages("+254700"))  # an earlier answer's pages are gone


def test_pages_come_one_by_one_on_the_more_word_of_the_language(installed: Services) -> None:
    pager = SmsPager(max_segments=1)
    more = installed.locale("fr").text("ussd_more").upper()
    assert pager.more_word("fr") == more

    async def conversation() -> list[str | None]:
        pages: list[str | None] = [await pager.first_page("+254711", LONG, "fr")]
        assert await pager.next_page("+254711", "something else") is None  # goes to the assistant
        while (page := await pager.next_page("+254711", f" {more.lower()} ")) is not None:
            pages.append(page)
        return pages

    pages = asyncio.run(conversation())
    assert len(pages) > 2
    assert all(p is not None and p.endswith("\n" + more) and segments(p) == 1 for p in pages[:-1])
    words = " ".join(p.removesuffix("\n" + more) for p in pages if p).split()
    assert words == LONG.split()  # nothing lost, nothing repeated
    assert not installed.redis.exists(redis_keys.sms_pages("+254711"))


def test_held_pages_are_kept_a_day_at_most(installed: Services) -> None:
    pager = SmsPager(max_segments=1)

    async def run() -> str | None:
        await pager.first_page("+254722", LONG, "en")
        return await pager.next_page("+254799", "MORE")  # another number: nothing held for it

    assert asyncio.run(run()) is None
    assert 0 < installed.redis.ttl(redis_keys.sms_pages("+254722")) <= KEPT_SECONDS
