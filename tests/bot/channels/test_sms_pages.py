"""Long SMS answers in pages: the first now, the others held until the citizen replies MORE."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest

from bot import redis_keys
from bot.channels.formatting import segments
from bot.channels.sms_pages import KEPT_SECONDS, SmsPager
from bot.services import Services, use
from bot.settings import load_settings
from tests.conftest import with_session_parts

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


def test_with_redis_down_the_first_page_still_goes_and_replies_reach_the_assistant(
    services: Services,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    down = with_session_parts(
        Services(load_settings({"REDIS_URL": dead})),
        services.language_identifier,
        services.live_catalogues,
    )
    use(down)
    try:
        pager = SmsPager(max_segments=1)
        apology = down.locale("sw").text("temporary_error")
        assert asyncio.run(pager.first_page("+254722", apology, "sw")) == apology  # the try-again text
        assert asyncio.run(pager.next_page("+254722", "ZAIDI")) is None  # to the assistant, not a 500
    finally:
        use(None)
