"""The agents' inbox under load through the running stack: web-chat citizens held at once on real
socket.io connections, through the real Rasa and action server (a benchmark, not a test).

Usage: ``python -m bench.handoff_stack --redis-url redis://127.0.0.1:6379/10 [--port-base 6080]
[--held 50] [--rounds 3]``. Starts the whole stack (Rasa on the port base, the action server +1, the
web app +2; its own Redis database, flushed, and a SQLite file), every desk open. ``--held``
citizens open the web chat's socket and ask for a person (the model reads their words); as many
agents each claim one of them and keep the inbox's live stream open (``/api/v1/handoffs/events``),
as their screens do. Nothing is stood in. Prints, one at a time and then all ``--held`` at once:

1. citizen -> agent's screen: from the citizen's message sent on the socket to (a) each open screen
   receiving the desk's ``citizen_message`` event (every screen hears every message of the desk),
   and (b) the holder's screen showing the words, as the page does: on the event, it re-reads the
   conversation (``GET /api/v1/handoffs/<id>/conversation``, which reads Rasa's tracker);
2. agent -> citizen: from the agent's reply (``POST /api/v1/handoffs/<id>/reply``) to the text arriving
   on the citizen's socket (filed in the outbox, Rasa woken, ``action_handoff_relay``, the socket), and
   the API call's own duration.

p50/p95/max over all of them, with the machine's load average (1 minute) before and after each part.
Everything runs on this machine, the clients (``--held`` sockets and ``--held`` streams, one Python
process) included.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import aiohttp
import redis
import websockets.client
import websockets.exceptions
import yaml

from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.handoff.model import Status
from bot.identity import web_conversation_id
from bot.runtime.stack import Stack
from bot.runtime.training import ensure_model
from bot.services import Services
from bot.settings import PROJECT_ROOT, Settings, load_settings

DESK = "citizen_services"  #: where asking for a person, with no topic, goes
ASK = "I would like to talk to a person"
#: Citizens asking for a person at the same time while the benchmark sets up.
SETUP_AT_ONCE = 10
WAIT = 120.0  #: longest wait for any one thing, seconds


def _figures(values: list[float]) -> str:
    if not values:
        return "no values"
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)]
    return (
        f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
        f"max {ordered[-1] * 1000:7.1f} ms   (n={len(ordered)})"
    )


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


class WebCitizen:
    """One web-chat citizen on the socket (Engine.IO v4 over WebSocket, as the chat page speaks it)."""

    def __init__(self, socket_url: str) -> None:
        self._url = socket_url
        self._connection: Any = None
        self.session_id = ""
        self._events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self._expected: dict[str, asyncio.Future[float]] = {}
        self._reader: asyncio.Task[None] | None = None

    @property
    def conversation(self) -> str:
        return web_conversation_id(self.session_id)

    async def open(self) -> None:
        self._connection = await websockets.client.connect(self._url, max_queue=None)
        assert (await self._connection.recv()).startswith("0")
        await self._connection.send("40")
        assert (await self._connection.recv()).startswith("40")
        self._reader = asyncio.ensure_future(self._read())
        await self.emit("session_request", {"session_id": None})
        name, self.session_id = await asyncio.wait_for(self._events.get(), WAIT)
        assert name == "session_confirm", name

    async def _read(self) -> None:
        while True:
            try:
                packet = await self._connection.recv()
            except websockets.exceptions.ConnectionClosed:
                return
            if packet == "2":  # the server's ping
                await self._connection.send("3")
            elif packet.startswith("42"):
                name, *payload = json.loads(packet[2:])
                message = payload[0] if payload else None
                arrived = time.perf_counter()
                text = message.get("text") if isinstance(message, dict) else None
                waiting = self._expected.pop(str(text), None) if text else None
                if waiting is not None and not waiting.done():
                    waiting.set_result(arrived)
                else:
                    await self._events.put((name, message))

    async def emit(self, name: str, data: Any) -> None:
        await self._connection.send("42" + json.dumps([name, data]))

    async def send(self, text: str) -> None:
        await self.emit(
            "user_uttered", {"message": text, "session_id": self.session_id, "metadata": {"language": "en"}}
        )

    async def answer(self) -> str:
        """The next message the page shows (during set-up)."""
        while True:
            name, message = await asyncio.wait_for(self._events.get(), WAIT)
            if name == "bot_uttered":
                return str(message.get("text") or "")

    def expect(self, text: str) -> asyncio.Future[float]:
        """When ``text`` arrives on the socket (time.perf_counter())."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._expected[text] = future
        return future

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self._connection is not None:
            await self._connection.close()


@dataclass
class Held:
    """A citizen, the agent holding their conversation, and the handoff between them."""

    citizen: WebCitizen
    key: str
    handoff_id: str


@dataclass
class Screens:
    """What the agents' open inboxes measured of the citizens' messages in flight."""

    sent: dict[str, tuple[float, str]] = field(default_factory=dict)  #: handoff -> (when, words)
    shown: dict[str, asyncio.Future[float]] = field(default_factory=dict)  #: handoff -> on the screen
    received: list[float] = field(default_factory=list)  #: every screen's event, since sent
    failed_reads: dict[int, int] = field(default_factory=dict)  #: the page's re-reads refused, by status
    stale_reads: int = 0  #: re-reads that did not show the words yet
    tasks: set[asyncio.Task[None]] = field(default_factory=set)


async def _screen(session: aiohttp.ClientSession, web: str, held: Held, screens: Screens) -> None:
    """One agent's open inbox: hears every event of the desk, re-reads its own conversation on one."""
    headers = {"Authorization": f"Bearer {held.key}"}
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
    async with session.get(f"{web}/api/v1/handoffs/events", headers=headers, timeout=timeout) as reply:
        assert reply.status == 200, await reply.text()
        async for line in reply.content:
            if not line.startswith(b"data: "):
                continue
            event = json.loads(line[6:])
            handoff_id = str(event.get("handoff_id") or "")
            if event.get("kind") != "citizen_message" or handoff_id not in screens.sent:
                continue
            screens.received.append(time.perf_counter() - screens.sent[handoff_id][0])
            if handoff_id == held.handoff_id:
                task = asyncio.ensure_future(_show(session, web, held, screens))
                screens.tasks.add(task)
                task.add_done_callback(screens.tasks.discard)


async def _show(session: aiohttp.ClientSession, web: str, held: Held, screens: Screens) -> None:
    """What the page does on its conversation's event: read it again; the words are on screen. A read
    that fails (or does not show the words yet) is counted and tried again half a second later (the
    page itself would show them at the conversation's next event)."""
    headers = {"Authorization": f"Bearer {held.key}"}
    url = f"{web}/api/v1/handoffs/{held.handoff_id}/conversation"
    words = screens.sent[held.handoff_id][1]
    waiting = screens.shown.get(held.handoff_id)
    while waiting is not None and not waiting.done():
        async with session.get(url, headers=headers) as reply:
            body = await reply.json() if reply.status == 200 else {}
        if reply.status != 200:
            screens.failed_reads[reply.status] = screens.failed_reads.get(reply.status, 0) + 1
        shown = [m for m in body.get("messages", []) if m.get("from") == "user"]
        if shown and shown[-1].get("text") == words:
            waiting.set_result(time.perf_counter())
            return
        if reply.status == 200:
            screens.stale_reads += 1
        await asyncio.sleep(0.5)


async def _citizens_write(held: list[Held], screens: Screens, round_: str) -> list[float]:
    """Every citizen of ``held`` writes at once; from each message sent to its holder's screen."""
    loop = asyncio.get_running_loop()
    for one in held:
        screens.shown[one.handoff_id] = loop.create_future()
    sending = []
    for n, one in enumerate(held):
        words = f"Still there? {round_}-{n} {uuid.uuid4().hex[:6]}"
        screens.sent[one.handoff_id] = (time.perf_counter(), words)
        sending.append(one.citizen.send(words))
    await asyncio.gather(*sending)
    shown = await asyncio.wait_for(asyncio.gather(*(screens.shown[h.handoff_id] for h in held)), WAIT)
    return [at - screens.sent[h.handoff_id][0] for at, h in zip(shown, held, strict=True)]


async def _agents_reply(
    session: aiohttp.ClientSession, web: str, held: list[Held], round_: str
) -> tuple[list[float], list[float]]:
    """Every agent of ``held`` replies at once; (reply -> on the citizen's socket, the API call)."""

    async def reply(n: int, one: Held) -> tuple[float, float]:
        text = f"Habari, this is the desk. {round_}-{n} {uuid.uuid4().hex[:6]}"
        arrived = one.citizen.expect(text)
        started = time.perf_counter()
        async with session.post(
            f"{web}/api/v1/handoffs/{one.handoff_id}/reply",
            headers={"Authorization": f"Bearer {one.key}"},
            json={"text": text},
        ) as answer:
            assert answer.status == 200, await answer.text()
        api = time.perf_counter() - started
        return await asyncio.wait_for(arrived, WAIT) - started, api

    results = await asyncio.gather(*(reply(n, one) for n, one in enumerate(held)))
    return [r[0] for r in results], [r[1] for r in results]


async def _hand_over(
    session: aiohttp.ClientSession, web: str, socket_url: str, services: Services, key: str
) -> Held:
    """A citizen asks for a person on the socket; the agent with ``key`` claims the conversation."""
    citizen = WebCitizen(socket_url)
    await citizen.open()
    await citizen.send(ASK)
    await citizen.answer()  # their place in the queue
    handoff = await asyncio.to_thread(services.handoffs.active, citizen.conversation)
    assert handoff is not None and handoff.status is Status.WAITING, "the citizen was not handed over"
    async with session.post(
        f"{web}/api/v1/handoffs/{handoff.handoff_id}/claim", headers={"Authorization": f"Bearer {key}"}
    ) as reply:
        assert reply.status == 200, await reply.text()
    await citizen.answer()  # "a person is with you"
    return Held(citizen, key, handoff.handoff_id)


async def _in_batches(work: Sequence[Callable[[], Awaitable[Held]]], size: int) -> list[Held]:
    done: list[Held] = []
    for start in range(0, len(work), size):
        done += await asyncio.gather(*(w() for w in work[start : start + size]))
    return done


async def measure(settings: Settings, held_count: int, rounds: int) -> None:
    """Hand ``held_count`` citizens over, open the agents' screens, measure, print."""
    web = f"http://127.0.0.1:{settings.web_port}"
    socket_url = f"ws://127.0.0.1:{settings.rasa_port}/socket.io/?EIO=4&transport=websocket"
    services = Services(settings)
    keys = [
        services.api_keys.create(
            "interior", Role.AGENT, f"agent {n}", utc_now(), person=f"B-{n}", desks=(DESK,)
        )[0]
        for n in range(held_count)
    ]
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        work = [functools.partial(_hand_over, session, web, socket_url, services, key) for key in keys]
        held = await _in_batches(work, SETUP_AT_ONCE)
        took = time.perf_counter() - started
        print(
            f"{held_count} web-chat citizens handed over and claimed in {took:.0f} s (each: asked on the "
            f"socket, the model read it, queued, an agent claimed); load {_load()}"
        )
        screens = Screens()
        streams = [asyncio.ensure_future(_screen(session, web, one, screens)) for one in held]
        await asyncio.sleep(3.0)  # every stream subscribed
        try:
            await _citizen_to_screen(held, screens, rounds)
            await _agent_to_citizen(session, web, held, rounds)
        finally:
            for stream in streams:
                stream.cancel()
            await asyncio.gather(*(one.citizen.close() for one in held), return_exceptions=True)


async def _citizen_to_screen(held: list[Held], screens: Screens, rounds: int) -> None:
    load = _load()
    one_at_a_time: list[float] = []
    for n, one in enumerate(held):
        one_at_a_time += await _citizens_write([one], screens, f"one-{n}")
    events, screens.received[:] = list(screens.received), []
    print(f"1. citizen's message -> agent's screen, one at a time (load {load} -> {_load()}):")
    print(f"   the holder's screen shows the words:  {_figures(one_at_a_time)}")
    print(f"   every screen hears of it (the event): {_figures(events)}")
    _reads(screens)
    load = _load()
    at_once: list[float] = []
    for round_ in range(rounds):
        at_once += await _citizens_write(held, screens, str(round_))
        await asyncio.sleep(1.0)
    events = list(screens.received)
    print(f"   all {len(held)} citizens writing at once, {rounds} rounds (load {load} -> {_load()}):")
    print(f"   the holder's screen shows the words:  {_figures(at_once)}")
    print(f"   every screen hears of it (the event): {_figures(events)}")
    _reads(screens)


def _reads(screens: Screens) -> None:
    """The page's re-reads that did not show the words at once (then reset)."""
    if screens.failed_reads or screens.stale_reads:
        refused = ", ".join(
            f"{count} answered {status}" for status, count in sorted(screens.failed_reads.items())
        )
        stale = screens.stale_reads
        print(f"   re-reads tried again: {refused or 'none refused'}; {stale} without the words yet")
    screens.failed_reads.clear()
    screens.stale_reads = 0


async def _agent_to_citizen(session: aiohttp.ClientSession, web: str, held: list[Held], rounds: int) -> None:
    load = _load()
    arrived: list[float] = []
    calls: list[float] = []
    for n, one in enumerate(held):
        to_citizen, api = await _agents_reply(session, web, [one], f"one-{n}")
        arrived += to_citizen
        calls += api
    print(f"2. agent's reply -> the text on the citizen's socket, one at a time (load {load} -> {_load()}):")
    print(f"   on the socket:      {_figures(arrived)}")
    print(f"   the reply API call: {_figures(calls)}")
    load = _load()
    arrived, calls = [], []
    for round_ in range(rounds):
        to_citizen, api = await _agents_reply(session, web, held, str(round_))
        arrived += to_citizen
        calls += api
        await asyncio.sleep(1.0)
    print(f"   all {len(held)} agents replying at once, {rounds} rounds (load {load} -> {_load()}):")
    print(f"   on the socket:      {_figures(arrived)}")
    print(f"   the reply API call: {_figures(calls)}")


def _settings(redis_url: str, port_base: int, folder: Path) -> Settings:
    """The stack's settings: its own ports, Redis database and SQLite file; every desk open; this
    machine's clients not limited per address (they all come from 127.0.0.1)."""
    config = PROJECT_ROOT / "config"
    desks = yaml.safe_load((config / "catalogue" / "desks.yml").read_text(encoding="utf-8"))
    for desk in desks["desks"].values():
        desk.update(hours="always", holidays=[])
    (folder / "desks.yml").write_text(yaml.safe_dump(desks), encoding="utf-8")
    limits = yaml.safe_load((config / "limits.yml").read_text(encoding="utf-8"))
    (folder / "limits.yml").write_text(
        yaml.safe_dump({**limits, "exempt_addresses": ["127.0.0.1"]}), encoding="utf-8"
    )
    return replace(
        load_settings(
            {
                "BARAZA_RASA_PORT": str(port_base),
                "BARAZA_ACTION_SERVER_PORT": str(port_base + 1),
                "BARAZA_WEB_PORT": str(port_base + 2),
            }
        ),
        redis_url=redis_url,
        database_url=f"sqlite:///{folder / 'baraza.db'}",
        rasa_auth_token=uuid.uuid4().hex,
        action_server_token=uuid.uuid4().hex,
        desks_file=folder / "desks.yml",
        limits_file=folder / "limits.yml",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/10", help="flushed")
    parser.add_argument("--port-base", type=int, default=6080, help="Rasa; +1 action server; +2 web app")
    parser.add_argument("--held", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="of everyone at once")
    args = parser.parse_args()
    redis.Redis.from_url(args.redis_url).flushdb()
    with tempfile.TemporaryDirectory(prefix="bench-handoff-") as folder:
        settings = _settings(args.redis_url, args.port_base, Path(folder))
        stack = Stack(settings=settings, model=ensure_model(settings), log_dir=Path(folder) / "logs")
        try:
            stack.start()  # inside: a part that fails to start must not leave the others running
            print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)")
            asyncio.run(measure(settings, args.held, args.rounds))
        finally:
            stack.stop()
            redis.Redis.from_url(args.redis_url).flushdb()


if __name__ == "__main__":
    main()
