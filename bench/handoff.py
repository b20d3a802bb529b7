"""The agents' inbox under load: 50 conversations held at once (a benchmark, not a test).

Usage: ``python -m bench.handoff --redis-url redis://127.0.0.1:6379/11 [--port 6090] [--held 50]``.
Starts the web app as its own process (its own port and Redis database, flushed) with Rasa stood in
on loopback: its execute route does what ``action_handoff_relay`` does, it takes the conversation's
outbox, and notes when each notice arrived. ``--held`` agents each claim one conversation of the same
desk and keep the inbox's live stream open (``/api/v1/handoffs/events``), as their screens do. Prints:

1. citizen -> agent's screen: from a citizen's message published on the desk's live channel (what the
   conversation does for each message of a held citizen) to each open screen receiving the event:
   one message at a time, then every one of the ``--held`` conversations writing at once, so every
   screen receives ``--held`` events a round (p50/p95/max over all receptions, client included: the
   ``--held`` streams are read by this one Python process);
2. agent -> citizen: from an agent's reply (the API call) to the notice taken from the conversation's
   outbox by the relay (Rasa woken through its execute route), all agents replying at once; and the
   API call's own duration (p50/p95/max).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import aiohttp
import redis
import yaml
from aiohttp import web
from sqlalchemy.engine import Engine

from bot.alerts.model import utc_now
from bot.auth.keys import ApiKeyStore
from bot.auth.roles import Role
from bot.catalogue.bundle import load_catalogues
from bot.concerns.database import make_engine, upgrade
from bot.handoff.desks import load_desks
from bot.handoff.model import Trigger
from bot.handoff.relay import CitizenOutbox, publish
from bot.handoff.service import HandoffService
from bot.handoff.store import HandoffStore
from bot.settings import PROJECT_ROOT

TOKEN = "bench-rasa-token"  # noqa: S105 (a stand-in's token, on loopback)
DESK = "health_line"  # open round the clock
ROUNDS = 10


def _figures(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (
        f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
        f"max {ordered[-1] * 1000:7.1f} ms   (n={len(ordered)})"
    )


class StandInRasa:
    """Rasa's execute route doing what ``action_handoff_relay`` does: take the outbox, say it."""

    def __init__(self, redis_url: str) -> None:
        self.outbox = CitizenOutbox(redis.Redis.from_url(redis_url))
        self.said: dict[str, float] = {}  # notice text -> when the relay took it

    async def execute(self, request: web.Request) -> web.Response:
        notices = await asyncio.to_thread(self.outbox.take, request.match_info["conversation"])
        now = time.perf_counter()
        for notice in notices:
            if notice.text:
                self.said[notice.text] = now
        return web.json_response({"events": []})

    async def start(self) -> tuple[web.AppRunner, str]:
        app = web.Application()
        app.router.add_post("/conversations/{conversation}/execute", self.execute)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return runner, f"http://127.0.0.1:{port}"


def _web_app(redis_url: str, port: int, rasa_url: str, workdir: Path) -> subprocess.Popen[bytes]:
    limits = yaml.safe_load((PROJECT_ROOT / "config" / "limits.yml").read_text(encoding="utf-8"))
    limits_file = workdir / "limits.yml"  # the real limits, but this machine's agents are not limited
    limits_file.write_text(yaml.safe_dump({**limits, "exempt_addresses": ["127.0.0.1"]}), encoding="utf-8")
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "RASA_URL": rasa_url,
        "RASA_AUTH_TOKEN": TOKEN,
        "BARAZA_WEB_PORT": str(port),
        "BARAZA_WEB_HOST": "127.0.0.1",
        "BARAZA_LIMITS_FILE": str(limits_file),
        "DATABASE_URL": f"sqlite:///{workdir / 'baraza.db'}",  # the agents' keys are there
    }
    log = (workdir / "web.log").open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "bot.web"], cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log
    )


async def _screen(
    session: aiohttp.ClientSession, base: str, key: str, received: list[float], sent: dict[str, float]
) -> None:
    """One agent's open inbox: every citizen_message event's latency since it was published."""
    headers = {"Authorization": f"Bearer {key}"}
    async with session.get(f"{base}/api/v1/handoffs/events", headers=headers, timeout=None) as reply:
        async for line in reply.content:
            if line.startswith(b"data: "):
                event = json.loads(line[6:])
                if event.get("kind") == "citizen_message" and event.get("mark") in sent:
                    received.append(time.perf_counter() - sent[event["mark"]])


async def run(redis_url: str, port: int, held: int) -> None:
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    rasa = StandInRasa(redis_url)
    runner, rasa_url = await rasa.start()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as workdir:
        database_url = f"sqlite:///{Path(workdir) / 'baraza.db'}"
        upgrade(database_url)
        agents = _prepare(client, held, make_engine(database_url))
        process = _web_app(redis_url, port, rasa_url, Path(workdir))
        try:
            async with aiohttp.ClientSession() as session:
                deadline = time.monotonic() + 90
                while time.monotonic() < deadline:
                    try:
                        async with session.get(f"{base}/health") as reply:
                            if reply.status == 200:
                                break
                    except aiohttp.ClientError:
                        await asyncio.sleep(0.3)
                else:
                    raise SystemExit("the web app did not start")
                await _measure(client, session, base, rasa, agents)
        finally:
            process.terminate()
            process.wait(timeout=10)
            await runner.cleanup()


def _prepare(client: redis.Redis[bytes], held: int, database: Engine) -> list[tuple[str, str]]:
    """``held`` agent keys of the desk and as many citizens waiting there: (key, handoff id)."""
    catalogues = load_catalogues(PROJECT_ROOT / "config")
    desks = load_desks(PROJECT_ROOT / "config", set(catalogues.ministries.ministries))
    handoffs = HandoffService(HandoffStore(client), lambda: desks, utc_now, timedelta(days=1))
    store = ApiKeyStore(database)
    agents: list[tuple[str, str]] = []
    for i in range(held):
        key, _ = store.create("health", Role.AGENT, f"agent {i}", utc_now(), person=f"B-{i}", desks=(DESK,))
        ticket = handoffs.ask(f"sms:+2547000{i:05d}", "twilio", "sw", Trigger.ASKED, topic="health")
        agents.append((key, ticket.handoff.handoff_id))
    return agents


async def _measure(
    client: redis.Redis[bytes],
    session: aiohttp.ClientSession,
    base: str,
    rasa: StandInRasa,
    agents: list[tuple[str, str]],
) -> None:
    held = len(agents)
    for key, handoff_id in agents:
        async with session.post(
            f"{base}/api/v1/handoffs/{handoff_id}/claim", headers={"Authorization": f"Bearer {key}"}
        ) as reply:
            assert reply.status == 200, await reply.text()
    print(f"{held} conversations held by {held} agents, each with the inbox's live stream open")

    received: list[float] = []
    sent: dict[str, float] = {}
    screens = [asyncio.create_task(_screen(session, base, key, received, sent)) for key, _ in agents]
    await asyncio.sleep(2.0)  # every stream subscribed
    for n, (_, handoff_id) in enumerate(agents):  # one message at a time, every screen receives it
        mark = f"one-{n}"
        sent[mark] = time.perf_counter()
        publish(client, DESK, "citizen_message", handoff_id, mark=mark)
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)
    one_at_a_time, received[:] = list(received), []
    print(f"1. citizen's message -> agent's screen, one message at a time: {_figures(one_at_a_time)}")
    for round_ in range(ROUNDS):
        for n, (_, handoff_id) in enumerate(agents):
            mark = f"{round_}-{n}"
            sent[mark] = time.perf_counter()
            publish(client, DESK, "citizen_message", handoff_id, mark=mark)
        await asyncio.sleep(0.5)
    await asyncio.sleep(2.0)
    for screen in screens:
        screen.cancel()
    expected = ROUNDS * held * held
    print(f"   all {held} citizens writing at once:                  {_figures(received)}")
    print(f"   {len(received)} of {expected} receptions ({held} screens x {held} messages x {ROUNDS} rounds)")

    api_times: list[float] = []
    to_citizen: list[float] = []

    async def send(key: str, handoff_id: str, text: str) -> None:
        started = time.perf_counter()
        async with session.post(
            f"{base}/api/v1/handoffs/{handoff_id}/reply",
            headers={"Authorization": f"Bearer {key}"},
            json={"text": text},
        ) as answer:
            assert answer.status == 200, await answer.text()
        api_times.append(time.perf_counter() - started)
        if text in rasa.said:
            to_citizen.append(rasa.said[text] - started)

    for round_ in range(ROUNDS):
        await asyncio.gather(
            *(send(key, handoff_id, f"Habari {round_}-{n}") for n, (key, handoff_id) in enumerate(agents))
        )
    print(f"2. agent's reply -> notice taken by the conversation's relay: {_figures(to_citizen)}")
    print(f"   the reply's API call: {_figures(api_times)}")
    print(
        f"   ({held} agents replying at once, {ROUNDS} rounds; {len(to_citizen)} of {len(api_times)} relayed)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11", help="flushed")
    parser.add_argument("--port", type=int, default=6090)
    parser.add_argument("--held", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(run(args.redis_url, args.port, args.held))


if __name__ == "__main__":
    main()
