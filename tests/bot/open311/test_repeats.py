from __future__ import annotations

import asyncio
import threading

import pytest
import redis

from bot.open311 import repeats
from bot.open311.repeats import RepeatedPosts, StillFiling, digest

FIELDS = {"service_code": "health", "description": "no water since monday", "lat": "1.2", "long": "3.4"}


def test_the_digest_is_of_who_sent_what() -> None:
    assert digest("key1", FIELDS) == digest("key1", dict(reversed(list(FIELDS.items()))))
    assert digest("key1", FIELDS) == digest("key1", {**FIELDS, "api_key": "bz_the_secret"})
    assert digest("key1", FIELDS) != digest("key2", FIELDS)
    assert digest("key1", FIELDS) != digest("key1", {**FIELDS, "description": "no water since tuesday"})
    assert "no water" not in digest("key1", FIELDS)  # nothing the citizen wrote is kept


def test_a_retry_waits_for_the_first_filing_and_gets_its_ticket(redis_client: redis.Redis[bytes]) -> None:
    posts = RepeatedPosts(redis_client, poll_seconds=0.01)
    post = digest("key1", FIELDS)
    assert asyncio.run(posts.claim(post)) is None  # the first files
    answers: list[str | None] = []
    retry = threading.Thread(target=lambda: answers.append(asyncio.run(posts.claim(post))))
    retry.start()
    retry.join(0.2)
    assert retry.is_alive()  # still waiting while the first files
    posts.filed(post, "K7P2QX")
    retry.join(5)
    assert answers == ["K7P2QX"]
    assert 0 < redis_client.ttl(f"baraza:open311:post:{post}") <= repeats.WINDOW_SECONDS


def test_a_filing_that_failed_is_filed_by_the_retry(redis_client: redis.Redis[bytes]) -> None:
    posts = RepeatedPosts(redis_client)
    post = digest("key1", FIELDS)
    assert asyncio.run(posts.claim(post)) is None
    posts.failed(post)  # e.g. the database was down
    assert asyncio.run(posts.claim(post)) is None


def test_a_filing_that_never_finishes_lets_the_retry_go_with_an_error(
    redis_client: redis.Redis[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repeats, "FILING_SECONDS", 0.2)
    posts = RepeatedPosts(redis_client, poll_seconds=0.01)
    post = digest("key1", FIELDS)
    redis_client.set(f"baraza:open311:post:{post}", repeats.PENDING, ex=60)
    with pytest.raises(StillFiling):
        asyncio.run(posts.claim(post))
