"""What one delivery costs end to end, through the real path, before and after the direct channel.

Usage: ``python -m bench.delivery [--redis-url URL] [--deliveries N] [--rasa-deliveries N]
[--history TURNS] [--port-base P]``.

Starts the real stack (Rasa with the trained model, action server, web app) with Telegram pointed at
the end-to-end tests' provider stand-in (``tests/e2e/conftest.py``, run in a process of its own),
subscribes N Telegram citizens, and broadcasts one alert to them, timed from the alert's approval
(resolve, pace, send, record in the conversation) until its progress says complete:

1. baseline: workers that deliver each notice as a turn of the conversation (``--through-rasa``:
   Rasa's ``trigger_intent`` -> action server -> tracker saved -> Telegram output);
2. direct: workers that word the notice, claim it in the conversation's record of pushed notices and
   send through the Telegram output in batches (``bot/channels/direct.py``).

Each with 1 and 2 worker processes. Printed: deliveries per second, and CPU milliseconds per delivery
of the workers and of the whole path (workers, Rasa, action server, Redis; the stand-in, which plays
the provider, not counted). The stand-in must have received each message once. Rate limits are
lifted for the run (``BARAZA_DELIVERY_FILE``): the caps are what is measured otherwise.
``--large N`` adds one broadcast to N subscribers by 2 workers (time, and memory: each worker's
peak resident memory, Redis's growth); ``--direct-only`` leaves out the baseline. ``--history``
gives each conversation that many earlier turns first (a copy of a real REST conversation's
tracker), as a citizen who has talked with the assistant has: only the baseline reads and writes
trackers, so only it pays for them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

import psutil
import redis
import yaml

from bench.fanout import AUTHOR, _alert
from bot import redis_keys
from bot.fanout.notices import Broadcast
from bot.runtime.processes import worker_command
from bot.runtime.stack import Stack
from bot.runtime.training import MODEL_NAME
from bot.services import Services
from bot.settings import PROJECT_ROOT, load_settings
from bot.subscriptions.tables import subscribers, subscription_topics, subscriptions

TELEGRAM_TOKEN = "123456:bench-bot"  # noqa: S105 - the stand-in's, not a secret

_STAND_IN = """
import sys
from tests.e2e.conftest import ProviderStandIn
stand_in = ProviderStandIn()
print(stand_in.url, flush=True)
for line in sys.stdin:
    if line.strip() == "count":
        print(len(stand_in.calls_to("/sendMessage")), flush=True)
    elif line.strip() == "reset":
        stand_in.calls.clear()
        print("ok", flush=True)
"""


class StandIn:
    """The e2e tests' provider stand-in, in a process of its own (so its CPU is not the worker's)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _STAND_IN],
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()

    def ask(self, what: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(what + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


@dataclass(frozen=True)
class Run:
    """One measured broadcast."""

    deliveries: int
    seconds: float
    worker_cpu: float  #: seconds of CPU of the worker processes
    path_cpu: float  #: seconds of CPU of workers, Rasa, action server and Redis
    split: dict[str, float]  #: seconds of CPU per part of the path
    worker_rss: float = 0.0  #: the largest resident memory of one worker process seen, MB
    redis_growth: float = 0.0  #: Redis's memory at the end less at the start, MB (the records kept)

    @property
    def rate(self) -> float:
        return self.deliveries / self.seconds

    def line(self, label: str) -> str:
        worker_ms, path_ms = (1000 * cpu / self.deliveries for cpu in (self.worker_cpu, self.path_cpu))
        split = ", ".join(f"{part} {1000 * cpu / self.deliveries:.2f}" for part, cpu in self.split.items())
        return (
            f"  {label:<34} {self.deliveries:>7,} deliveries in {self.seconds:6.2f} s: {self.rate:>7,.0f}/s; "
            f"CPU per delivery: workers {worker_ms:5.2f} ms, whole path {path_ms:5.2f} ms ({split}); "
            f"worker memory peak {self.worker_rss:.0f} MB, Redis +{self.redis_growth:.0f} MB"
        )


def _cpu(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
            for child in process.children(recursive=True):
                times = child.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def _settle(processes: list[psutil.Process], timeout: float = 120.0) -> None:
    """Wait until the processes have started: idle (under 20 ms of CPU in a second)."""
    deadline = time.monotonic() + timeout
    before = _cpu(processes)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = _cpu(processes)
        if now - before < 0.02 * len(processes):
            return
        before = now
    raise RuntimeError("the workers did not settle")


def _redis_process(client: redis.Redis[bytes]) -> list[psutil.Process]:
    try:
        return [psutil.Process(int(client.info("server")["process_id"]))]
    except (psutil.Error, KeyError, ValueError):
        return []


def _with_history(client: redis.Redis[bytes], stack: Stack, turns: int, conversations: list[str]) -> None:
    """Give every conversation the tracker of a real conversation of ``turns`` turns."""
    import urllib.request

    sender = f"bench-{uuid.uuid4().hex[:8]}"
    rasa = f"http://127.0.0.1:{stack.settings.rasa_port}"
    questions = ["hello", "what does a passport cost", "and the id card", "is there a flood alert", "thanks"]
    for i in range(turns):
        body = json.dumps({"sender": sender, "message": questions[i % len(questions)]}).encode()
        request = urllib.request.Request(
            f"{rasa}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as reply:
            reply.read()
    stored = client.get(redis_keys.rasa_tracker(f"rest:{sender}"))
    assert stored is not None
    tracker = json.loads(stored)
    pipe = client.pipeline(transaction=False)
    for n, conversation in enumerate(conversations, start=1):
        tracker["sender_id"] = conversation
        pipe.set(redis_keys.rasa_tracker(conversation), json.dumps(tracker))
        if n % 500 == 0:
            pipe.execute()
    pipe.execute()
    print(f"  each conversation starts with {turns} turns ({len(stored) / 1000:.0f} KB of tracker)")


def measure(
    stack: Stack,
    services: Services,
    stand_in: StandIn,
    count: int,
    workers: int,
    through_rasa: bool,
    history: int,
) -> Run:
    """One broadcast to ``count`` Telegram subscribers by ``workers`` fresh worker processes."""
    client = services.redis
    for key in client.scan_iter(match="baraza:*"):
        client.delete(key)
    for key in client.scan_iter(match="barazatracker:*"):
        client.delete(key)
    _subscribe(services, count)
    conversations = [f"telegram:bench-{i}" for i in range(count)]
    if history and through_rasa:
        _with_history(client, stack, history, conversations)
    stand_in.ask("reset")
    flag = ["--through-rasa"] if through_rasa else []
    names = [f"bench-{uuid.uuid4().hex[:6]}-{i}" for i in range(workers)]
    spawned = [stack.spawn(name, [*worker_command(name), "--no-housekeeping", *flag]) for name in names]
    watched = [psutil.Process(p.pid) for p in spawned]
    _settle(watched)  # imports and connections are not delivery time
    parts = {
        "workers": watched,
        "Rasa": [psutil.Process(stack.processes["rasa"].pid)],
        "action server": [psutil.Process(stack.processes["action-server"].pid)],
        "Redis": _redis_process(client),
    }
    before = {part: _cpu(processes) for part, processes in parts.items()}
    redis_before = int(client.info("memory")["used_memory"])
    peak = 0.0
    started = time.perf_counter()
    record = services.alerts.create(AUTHOR, _alert(services))
    broadcast = Broadcast.alert(record.alert_id)
    while not services.fan_out.progress(broadcast).complete:
        peak = max(peak, *(_rss(process) for process in watched))
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    redis_growth = (int(client.info("memory")["used_memory"]) - redis_before) / 1e6
    split = {part: _cpu(processes) - before[part] for part, processes in parts.items()}
    progress = services.fan_out.progress(broadcast)
    for name in names:
        stack.processes[name].terminate()
        stack.processes[name].wait(timeout=30)
        del stack.processes[name]
    received = int(stand_in.ask("count"))
    assert progress.sent == count, progress
    assert received == count, f"the stand-in received {received} messages for {count} deliveries"
    return Run(count, seconds, split["workers"], sum(split.values()), split, peak, redis_growth)


def _rss(process: psutil.Process) -> float:
    try:
        return float(process.memory_info().rss) / 1e6
    except psutil.Error:
        return 0.0


def _subscribe(services: Services, count: int) -> None:
    """``count`` Telegram citizens of the coast, as the chat stores them (``telegram:<conversation>``),
    and nobody else (the subscriptions of an earlier run are removed first)."""
    with services.database.begin() as connection:
        for table in (subscription_topics, subscriptions, subscribers):
            connection.execute(table.delete())
    services.subscriptions.subscribe_many(
        [f"telegram:telegram:bench-{i}" for i in range(count)], "coast", "en", services.now()
    )


def main() -> None:
    """Run and print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--deliveries", type=int, default=20_000, help="per direct run")
    parser.add_argument("--rasa-deliveries", type=int, default=1_000, help="per baseline run")
    parser.add_argument("--history", type=int, default=0, help="earlier turns of each conversation")
    parser.add_argument(
        "--large", type=int, default=0, help="then one broadcast to this many subscribers, direct, 2 workers"
    )
    parser.add_argument("--direct-only", action="store_true", help="no baseline through Rasa")
    parser.add_argument("--port-base", type=int, default=int(os.environ.get("BENCH_PORT_BASE", "7300")))
    args = parser.parse_args()
    stand_in = StandIn()
    folder = Path(tempfile.mkdtemp(prefix="bench-delivery-"))
    delivery = yaml.safe_load((PROJECT_ROOT / "config" / "delivery.yml").read_text(encoding="utf-8"))
    delivery["rate_limits"]["telegram"] = {"per_second": 1_000_000, "burst": 1_000_000}
    (folder / "delivery.yml").write_text(yaml.safe_dump(delivery), encoding="utf-8")
    settings = replace(
        load_settings(
            {
                "BARAZA_RASA_PORT": str(args.port_base),
                "BARAZA_ACTION_SERVER_PORT": str(args.port_base + 1),
                "BARAZA_WEB_PORT": str(args.port_base + 2),
            }
        ),
        redis_url=args.redis_url,
        database_url=f"sqlite:///{folder / 'concerns.db'}",
        rasa_auth_token=uuid.uuid4().hex,
        action_server_token=uuid.uuid4().hex,
        rest_channel=True,
        telegram_token=TELEGRAM_TOKEN,
        telegram_secret_token=uuid.uuid4().hex,
        telegram_api_url=stand_in.url,
        delivery_file=folder / "delivery.yml",
    )
    redis.Redis.from_url(args.redis_url).flushdb()
    stack = Stack(settings=settings, model=PROJECT_ROOT / "models" / f"{MODEL_NAME}.tar.gz", log_dir=folder)
    stack.start()
    results: dict[tuple[bool, int], Run] = {}
    try:
        stack.processes["worker"].terminate()  # the stack's own worker: each run starts its own
        stack.processes["worker"].wait(timeout=30)
        del stack.processes["worker"]
        services = Services(settings)
        print(f"one alert to Telegram subscribers (stand-in at {stand_in.url}), timed from its approval")
        ways = ((True, args.rasa_deliveries), (False, args.deliveries))
        for through_rasa, count in ways[1:] if args.direct_only else ways:
            for workers in (1, 2):
                run = measure(stack, services, stand_in, count, workers, through_rasa, args.history)
                results[(through_rasa, workers)] = run
                way = "through Rasa trigger_intent" if through_rasa else "direct"
                print(run.line(f"{way}, {workers} worker(s)"), flush=True)
        if args.large:
            run = measure(stack, services, stand_in, args.large, 2, False, 0)
            print(run.line("direct, 2 workers, one large broadcast"), flush=True)
    finally:
        stack.stop()
        stand_in.stop()
        redis.Redis.from_url(args.redis_url).flushdb()
    for workers in (1, 2) if not args.direct_only else ():
        before, after = results[(True, workers)], results[(False, workers)]
        print(
            f"  {workers} worker(s): {after.rate / before.rate:.1f}x the deliveries per second, "
            f"{before.path_cpu / before.deliveries / (after.path_cpu / after.deliveries):.1f}x less CPU "
            "per delivery on the whole path"
        )


if __name__ == "__main__":
    main()
