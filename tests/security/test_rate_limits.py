"""Floods replayed against the running stack (issue 14): 20 clients pushed 83 msg/s through REST and
slowed every other citizen 15-fold; Open311 answered 2,822 wrong keys a second; ticket lookups allowed
51,500 guesses a second. Now each is refused early, politely, and shared by every replica (Redis)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import http.client
import json
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis
import websockets

from bot import redis_keys
from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.catalogue.bundle import load_catalogues
from bot.concerns.database import make_engine
from bot.concerns.model import NewConcern
from bot.concerns.service import ConcernService
from bot.concerns.store import ConcernStore
from bot.identity import web_conversation_id
from bot.limits.buckets import Buckets
from bot.limits.policy import bucket, load_limits
from bot.runtime.stack import Stack
from bot.settings import PROJECT_ROOT
from tests.bot.api.conftest import Api
from tests.e2e.conftest import AUTH_TOKEN, E2E_REDIS_URL, RASA, WEB, Citizen, get, records
from tests.e2e.test_socketio import SOCKET_URL, SocketChat

CATALOGUES = load_catalogues(PROJECT_ROOT / "config")
LIMITS = load_limits(PROJECT_ROOT / "config" / "limits.yml")
WEB_API = Api(WEB)


@pytest.fixture(autouse=True)
def fresh_buckets(stack: Stack) -> Iterator[None]:
    """Each attack starts from full buckets and leaves none behind (they are all from 127.0.0.1)."""
    client = redis.Redis.from_url(E2E_REDIS_URL)

    def clear() -> None:
        for key in client.scan_iter(redis_keys.rate_limit("*", "*")):
            client.delete(key)

    clear()
    yield
    clear()


def _too_fast(language: str) -> str:
    return CATALOGUES.locales[language].text("sending_too_fast")


def _status(
    url: str, source: str, body: object | None = None, timeout: float = 60
) -> tuple[int, dict[str, str], str]:
    """One request from the loopback address ``source`` (the stack exempts 127.0.0.1 per address)."""
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(
        parsed.hostname, parsed.port, timeout=60, source_address=(source, 0)
    )
    try:
        data = json.dumps(body).encode() if body is not None else None
        target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        headers = {"Content-Type": "application/json"} if data is not None else {}
        connection.request("POST" if data is not None else "GET", target, body=data, headers=headers)
        reply = connection.getresponse()
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read().decode()
    finally:
        connection.close()


def test_a_conversation_flooding_is_told_once_in_its_language_then_dropped() -> None:
    """The bucket is emptied as a script's earlier messages would have (a server this loaded answers
    about one message a second per conversation, the rate the bucket refills at; the buckets themselves
    are tested in tests/bot/limits/); then the script's next messages go through the real stack."""
    citizen = Citizen()
    first = citizen.text("Bonjour, combien coûte un passeport ?")
    assert first and _too_fast("fr") not in first
    rate = LIMITS.messages_per_conversation
    buckets = Buckets(redis.Redis.from_url(E2E_REDIS_URL))
    for conversation in (citizen.sender, f"rest:{citizen.sender}"):  # Rasa's id, with or without its channel
        buckets.charge(
            bucket("messages_per_conversation", conversation), rate, floor=-10, cost=rate.burst + 10
        )
    replies = [citizen.text("Bonjour ?") for _ in range(4)]
    assert _too_fast("fr") in replies[0]  # told, in the conversation's language
    assert replies[1:] == ["", "", ""]  # then dropped before NLU, and not told again
    assert Citizen().text("hello")  # another conversation is served


def test_one_address_flooding_with_many_conversations_is_refused_early() -> None:
    def one(n: int) -> str:
        sender = f"flood-{uuid.uuid4().hex[:8]}-{n}"
        status, _, body = _status(
            f"{RASA}/webhooks/rest/webhook", "127.0.0.2", {"sender": sender, "message": "hi"}
        )
        assert status == 200, body
        return "\n".join(m.get("text", "") for m in json.loads(body))

    total = int(LIMITS.messages_per_address.burst) * 3  # all at once: more than the bucket holds
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(total) as pool:
        replies = list(pool.map(one, range(total)))
    elapsed = time.monotonic() - started
    refused = sum(_too_fast("en") in r for r in replies)
    allowed = LIMITS.messages_per_address.burst + LIMITS.messages_per_address.per_second * elapsed
    assert refused >= min(total - allowed, total // 4), (refused, elapsed)  # each told once, in a few ms


async def _web_chat_flood(sockets: int) -> list[tuple[str, str, list[str]]]:
    """``sockets`` web chats from one address (127.0.0.2) each sending a message at once, then another:
    for each, its session secret and what it was answered to each message."""
    async with contextlib.AsyncExitStack() as opened:
        chats = []
        for _ in range(sockets):  # opening sessions is free: only messages are counted
            connection = await opened.enter_async_context(
                websockets.connect(SOCKET_URL, local_addr=("127.0.0.2", 0))
            )
            chat = SocketChat(connection)
            await chat.open()
            chats.append(chat)

        async def first(chat: SocketChat) -> str:
            replies = await chat.say("Bonjour, combien coûte un passeport ?", {"language": "fr-SN"})
            return "\n".join(str(r.get("text") or "") for r in replies)

        firsts = await asyncio.gather(*(first(chat) for chat in chats))

        async def again(chat: SocketChat) -> str:
            await chat.emit("user_uttered", {"message": "Bonjour ?", "session_id": chat.session_id})
            try:
                return str((await asyncio.wait_for(chat._event(), 3))[1].get("text") or "")
            except asyncio.TimeoutError:
                return ""

        seconds = await asyncio.gather(*(again(chat) for chat in chats))
        return [(c.session_id, a, b) for c, a, b in zip(chats, firsts, seconds, strict=True)]


def test_one_address_flooding_the_web_chat_from_many_sockets_is_refused_early(stack: Stack) -> None:
    """The web chat's address is the socket's (WebSocket and polling alike): many sessions from one
    address share its bucket; each refused one is told once, in the browser's language, and its
    messages never reach the conversation."""
    total = int(LIMITS.messages_per_address.burst) * 3
    results = asyncio.run(_web_chat_flood(total))
    refused = [(secret, second) for secret, first, second in results if _too_fast("fr") in first]
    answered = [first for _, first, _ in results if first and _too_fast("fr") not in first]
    assert len(refused) >= total // 2 and len(answered) >= 1, (len(refused), len(answered))
    assert len(refused) + len(answered) == total
    for secret, second in refused:
        assert second == ""  # told once: the next message is dropped in silence
        conversation = web_conversation_id(secret)
        status, body, _ = get(f"{RASA}/conversations/{conversation}/tracker?token={AUTH_TOKEN}")
        assert status == 200 and "Bonjour" not in body  # refused before the tracker and NLU
    assert Citizen().text("hello")  # another address is served


def test_a_key_sending_too_many_requests_gets_429_with_retry_after() -> None:
    key = records().api_keys.create("health", Role.ANALYST, "busy script", utc_now(), person="SEC-3")[0]
    statuses: list[int] = []
    retry_after = ""
    for _ in range(int(LIMITS.api_per_key.burst) + 60):
        reply = WEB_API.call("GET", "/api/v1/me", key)
        statuses.append(reply.status)
        if reply.status == 429:
            retry_after = reply.headers["retry-after"]
            assert "too many requests with this key" in reply.json()["error"]
            break
    assert statuses[-1] == 429 and int(retry_after) >= 1
    assert statuses.count(200) >= int(LIMITS.api_per_key.burst)


def test_wrong_api_keys_lock_the_address_out_with_backoff() -> None:
    right = records().api_keys.create("health", Role.ANALYST, "lockout victim", utc_now(), person="SEC-4")[0]
    url = f"{WEB}/open311/v2/requests.xml?api_key="
    tries = [
        _status(url + f"bz_guess{n:04d}_{'x' * 43}", "127.0.0.3")
        for n in range(int(LIMITS.failed_keys_per_address.burst))
    ]
    assert {status for status, _, _ in tries} == {403}
    locked, headers, body = _status(url + "bz_guess9999_" + "x" * 43, "127.0.0.3")
    assert locked == 429 and "too many wrong keys" in body and body.startswith("<?xml")
    waits = [int(headers["retry-after"])]
    for _ in range(5):  # hammering during the lockout only makes it longer
        status, headers, _ = _status(url + right, "127.0.0.3")
        assert status == 429  # the right key too: no guessing while locked out
        waits.append(int(headers["retry-after"]))
    assert waits == sorted(waits) and waits[-1] > waits[0]
    assert _status(url + right, "127.0.0.5")[0] == 200  # another address is not locked out


def test_ticket_lookups_are_limited_and_old_tickets_are_not_public(stack: Stack) -> None:
    service = ConcernService(
        ConcernStore(make_engine(stack.settings.effective_database_url)),
        lambda: CATALOGUES,
        lambda: utc_now() - timedelta(days=120),
    )
    old = service.file(
        NewConcern("health", "No medicine in the clinic.", "lakes", "Ziwani", "en", "rest", "rest:old", False)
    ).ticket
    assert get(f"{WEB}/open311/v2/requests/{old}.json")[0] == 404  # outside the public 90 days
    status, body, _ = get(f"{WEB}/open311/v2/requests.json?service_request_id={old}")
    assert status == 200 and old not in body
    guesses = ",".join(f"ZZ{n:04d}" for n in range(int(LIMITS.ticket_lookups_per_address.burst) - 2))
    assert _status(f"{WEB}/open311/v2/requests.json?service_request_id={guesses}", "127.0.0.4")[0] == 200
    status, headers, body = _status(
        f"{WEB}/open311/v2/requests.json?service_request_id=AAAAA2,AAAAA3,AAAAA4,AAAAA5,AAAAA6", "127.0.0.4"
    )
    assert status == 429 and int(headers["retry-after"]) >= 1 and "too many tickets" in body
