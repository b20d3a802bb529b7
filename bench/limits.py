"""What the limits of issue 14 cost and buy, on the running stack (a benchmark, not a test).

Usage: ``python -m bench.limits --redis-url redis://127.0.0.1:6379/11 [--port-base 6070]``. Starts the
whole stack (its own ports and Redis database; flushed), then prints:

1. the cost of a 1 MB message against a 1 kB one through the REST channel (median of N each, every one
   in a new conversation and from its own address): the Rasa server cuts messages before NLU
   (``rasa_addons/limits.py``), so the 1 MB message costs what its first 1,000 characters do;
2. a second citizen's latency (p50/p95) idle and while 20 clients flood from another address, each
   sending its next message as soon as the previous reply came (the second citizens send one message
   a second each, from 127.0.0.2-5: loopback addresses, as distinct clients);
3. requests refused per second by the limits: the flood's messages, an API key's requests (429) and
   wrong Open311 keys (429, lockout);
4. how long enumerating the ticket space (31^6 references) would take under the limits, measured from
   one address and computed for everyone together.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from dataclasses import replace
from typing import Any

import aiohttp
import redis

from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.catalogue.bundle import load_catalogues
from bot.concerns.ticket import ALPHABET, LENGTH
from bot.limits.policy import load_limits
from bot.runtime.stack import Stack
from bot.runtime.training import ensure_model
from bot.services import Services
from bot.settings import PROJECT_ROOT, load_settings

MESSAGES = [
    "hello",
    "How much does a passport cost?",
    "and how long does it take?",
    "Combien coûte une carte d'identité ?",
    "Which alerts are active in the Coast region?",
    "nitapataje cheti cha kuzaliwa?",
    "ok",
    "thank you",
]
FLOODERS = 20
SECOND_CITIZENS = 4
PHASE_SECONDS = 30.0
TICKET_SPACE = len(ALPHABET) ** LENGTH
YEAR = 365 * 24 * 3600


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * q) - 1)] * 1000


async def _say(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> tuple[float, Any]:
    started = time.perf_counter()
    async with session.post(url, json={"sender": sender, "message": text}) as reply:
        body = await reply.json(content_type=None)
        if reply.status != 200 or not isinstance(body, list):  # measuring an error would mislead
            raise RuntimeError(f"the REST channel answered {reply.status}: {str(body)[:200]}")
    return time.perf_counter() - started, body


def _session(address: str = "127.0.0.1") -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=0, local_addr=(address, 0))
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300), connector=connector)


async def message_cost(url: str, count: int, too_fast: set[str]) -> tuple[float, float, float]:
    """Median seconds of a 1 kB message of one word, of a 1 kB message of words and of a 1 MB message
    of the same words (each in a new conversation, from its own address: none is rate limited).

    The 1 MB message is cut to its first 1,000 characters, which are the 1 kB message of words: NLU
    then reads the same text, and the difference is what the size itself still costs (sending and
    parsing 1 MB of JSON). A 1 kB message of one word is cheaper: NLU's cost grows with the words."""
    base = "How much does a passport cost? "
    one_word = base + "x" * (1000 - len(base))
    megabyte = base + "please tell me " * (1_000_000 // 15)
    words = megabyte[:1000]
    medians = []
    for n, text in enumerate((one_word, words, megabyte)):
        times = []
        for i in range(count):
            async with _session(f"127.0.{1 + n}.{1 + i}") as session:
                took, body = await _say(session, url, f"cost-{uuid.uuid4().hex}", text)
            if {m.get("text", "") for m in body or []} & too_fast:
                raise RuntimeError("a message of the cost phase was rate limited: the figures would be wrong")
            times.append(took)
        medians.append(statistics.median(times))
    return medians[0], medians[1], medians[2]


async def second_citizens(url: str, seconds: float) -> list[float]:
    """Latencies of citizens sending one message a second each, from their own addresses."""
    latencies: list[float] = []

    async def citizen(address: str) -> None:
        async with _session(address) as session:
            sender, deadline, n = f"second-{uuid.uuid4().hex}", time.monotonic() + seconds, 0
            while time.monotonic() < deadline:
                if n % 10 == 0:
                    sender = f"second-{uuid.uuid4().hex}"
                took, _ = await _say(session, url, sender, MESSAGES[n % len(MESSAGES)])
                latencies.append(took)
                n += 1
                await asyncio.sleep(max(0.0, 1.0 - took))

    await asyncio.gather(*(citizen(f"127.0.0.{2 + i}") for i in range(SECOND_CITIZENS)))
    return latencies


async def flood(url: str, seconds: float, too_fast: set[str]) -> tuple[int, int]:
    """20 clients from 127.0.0.1 sending as fast as they are answered; (answered, refused)."""
    answered = refused = 0

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal answered, refused
        sender, deadline = f"flood-{uuid.uuid4().hex}", time.monotonic() + seconds
        n = 0
        while time.monotonic() < deadline:
            _, body = await _say(session, url, sender, MESSAGES[n % len(MESSAGES)])
            texts = {m.get("text", "") for m in body or []}
            if not body or texts & too_fast:
                refused += 1
            else:
                answered += 1
            n += 1

    async with _session("127.0.0.1") as session:
        await asyncio.gather(*(client(session) for _ in range(FLOODERS)))
    return answered, refused


async def api_refusals(web: str, key: str, seconds: float) -> tuple[float, float, float]:
    """Per second: an API key's requests refused (429), answered, and wrong Open311 keys refused."""
    counts = {"api429": 0, "api200": 0, "open311_429": 0}

    async def hammer(
        session: aiohttp.ClientSession, path: str, headers: dict[str, str], ok: str, no: str
    ) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            async with session.get(web + path, headers=headers) as reply:
                await reply.read()
                if reply.status == 429:
                    counts[no] += 1
                elif ok:
                    counts[ok] += 1

    async with _session("127.0.0.7") as api, _session("127.0.0.8") as open311:
        wrong = "/open311/v2/requests.json?api_key=bz_guess_" + "x" * 43
        await asyncio.gather(
            *(
                hammer(api, "/api/v1/me", {"Authorization": f"Bearer {key}"}, "api200", "api429")
                for _ in range(5)
            ),
            *(hammer(open311, wrong, {}, "", "open311_429") for _ in range(5)),
        )
    return counts["api429"] / seconds, counts["api200"] / seconds, counts["open311_429"] / seconds


async def ticket_lookups(web: str, seconds: float) -> float:
    """Ticket references one address gets looked up per second once its burst is spent (10 per request,
    each sent as soon as ``Retry-After`` allows)."""
    looked, n, draining = 0, 0, True
    async with _session("127.0.0.9") as session:
        started = time.monotonic()
        while draining or time.monotonic() - started < seconds:
            ids = ",".join(f"Q{i:05d}" for i in range(n, n + 10))
            async with session.get(f"{web}/open311/v2/requests.json?service_request_id={ids}") as reply:
                await reply.read()
                if reply.status == 200:
                    looked, n = looked + 10, n + 10
                elif reply.status == 429:
                    if draining:  # the burst is spent: measure from here
                        draining, looked, started = False, 0, time.monotonic()
                    await asyncio.sleep(float(reply.headers.get("Retry-After", "1")))
        return looked / (time.monotonic() - started)


def main() -> None:
    """Start the stack, measure, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--redis-url", required=True, help="a Redis database the benchmark may flush")
    parser.add_argument("--port-base", type=int, default=6070, help="Rasa; +1 action server; +2 web app")
    parser.add_argument("--cost-samples", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=PHASE_SECONDS)
    args = parser.parse_args()
    redis.Redis.from_url(args.redis_url).flushdb()
    base = args.port_base
    settings = replace(
        load_settings(
            {
                "BARAZA_RASA_PORT": str(base),
                "BARAZA_ACTION_SERVER_PORT": str(base + 1),
                "BARAZA_WEB_PORT": str(base + 2),
            }
        ),
        redis_url=args.redis_url,
        rasa_auth_token=uuid.uuid4().hex,
        rest_channel=True,  # the benchmark's clients speak REST (off by default since scoped ids)
    )
    limits = load_limits(settings.config_dir / "limits.yml")
    too_fast = {
        locale.text("sending_too_fast")
        for locale in load_catalogues(settings.config_dir).locales.locales.values()
    }
    stack = Stack(
        settings=settings, model=ensure_model(settings), log_dir=PROJECT_ROOT / ".data" / "bench-logs"
    )
    rest, web = f"http://127.0.0.1:{base}/webhooks/rest/webhook", f"http://127.0.0.1:{base + 2}"
    try:
        stack.start()  # inside: a part that fails to start must not leave the others running
        one_word, small, large = asyncio.run(message_cost(rest, args.cost_samples, too_fast))
        idle = asyncio.run(second_citizens(rest, args.seconds))

        async def under_flood() -> tuple[list[float], tuple[int, int]]:
            busy, flooded = await asyncio.gather(
                second_citizens(rest, args.seconds), flood(rest, args.seconds, too_fast)
            )
            return busy, flooded

        busy, (answered, refused) = asyncio.run(under_flood())
        key = Services(settings).api_keys.create("health", Role.ANALYST, "bench", utc_now(), person="BENCH")[
            0
        ]
        api429, api200, open311_429 = asyncio.run(api_refusals(web, key, 10.0))
        lookups = asyncio.run(ticket_lookups(web, 30.0))
    finally:
        stack.stop()
    print(
        f"Limits benchmark ({FLOODERS} flooding clients, {SECOND_CITIZENS} second citizens, "
        f"{args.seconds:.0f} s phases)"
    )
    print(
        f"1 kB message of words: {small * 1000:.0f} ms; 1 MB message of the same words: "
        f"{large * 1000:.0f} ms (x{large / small:.2f}); 1 kB of one word: {one_word * 1000:.0f} ms"
    )
    print(
        f"second citizen idle: p50 {_p(idle, 0.5):.0f} ms, p95 {_p(idle, 0.95):.0f} ms; under flood: "
        f"p50 {_p(busy, 0.5):.0f} ms, p95 {_p(busy, 0.95):.0f} ms "
        f"(p95 x{_p(busy, 0.95) / _p(idle, 0.95):.2f})"
    )
    print(
        f"flood: {answered / args.seconds:.1f} msg/s answered, {refused / args.seconds:.1f} msg/s refused; "
        f"API key: {api200:.1f} req/s answered, {api429:.1f} req/s refused (429); "
        f"wrong Open311 keys: {open311_429:.1f} req/s refused (429, locked out)"
    )
    per_address = TICKET_SPACE / max(lookups, 1e-9) / YEAR
    everyone = TICKET_SPACE / limits.ticket_lookups_all.per_second / YEAR
    print(
        f"ticket space {TICKET_SPACE:,}: {lookups:.1f} lookups/s from one address (measured, burst spent) -> "
        f"{per_address:.1f} years; everyone together at most {limits.ticket_lookups_all.per_second:g}/s -> "
        f"{everyone:.1f} years (before: 51,500/s, about 5 hours)"
    )


if __name__ == "__main__":
    main()
