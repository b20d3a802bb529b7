"""Serving speed through the REST channel: Baraza next to a bare Rasa assistant, in the same run.

Usage: ``python -m bench.serving [--requests N]``; ``--through-balancer`` measures instead the
multi-process layout behind HAProxy with 1 and 2 replicas (``bench/balanced_serving.py``). Steps:

1. ``rasa init`` creates and trains the bare assistant (Rasa's template, default config) in a temporary
   folder; it is served on port 5105 with its defaults (in-memory tracker store, no action server).
2. Baraza's model is retrained in a temporary folder to measure training time, then the whole Baraza
   stack is started (Redis tracker and lock stores, action server, Rasa on 5005).
3. The same load runs against each: 1, 10 and 50 concurrent clients, each holding a conversation of
   ``CONVERSATION_LENGTH`` messages (then starting a new one), sending its next message when the
   previous reply arrived. Printed: p50/p95 latency and messages per second,
   with Baraza/bare ratios, training time and the Rasa server's memory (RSS).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

import aiohttp
import psutil
import yaml

from bot.runtime.stack import PROCESS_ENV, Stack
from bot.runtime.training import MODEL_NAME
from bot.settings import PROJECT_ROOT, load_settings

BARE_PORT = 5105
CONCURRENCY = (1, 10, 50)
#: Messages per conversation: a citizen's session is a handful of turns, not hundreds.
CONVERSATION_LENGTH = 10
BARE_MESSAGES = ["hello", "I am feeling great", "yes", "are you a bot?", "goodbye", "I am sad"]
BARAZA_MESSAGES = [
    "hello",
    "How much does a passport cost?",
    "and how long does it take?",
    "Combien coûte une carte d'identité ?",
    "¿Qué documentos necesito para el pasaporte?",
    "Which alerts are active in the Coast region?",
    "nitapataje cheti cha kuzaliwa?",
    "ما هي أعراض المرض؟",
    "ok",
    "thank you",
]


@dataclass
class Result:
    """Latency and throughput of one load level."""

    concurrency: int
    p50_ms: float
    p95_ms: float
    per_second: float
    errors: int


def _wait(url: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer")


async def _load(url: str, messages: list[str], concurrency: int, total: int) -> Result:
    latencies: list[float] = []
    errors = 0
    per_worker = max(1, total // concurrency)

    async def conversation(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        sender = uuid.uuid4().hex
        for index in range(per_worker):
            if index % CONVERSATION_LENGTH == 0:
                sender = uuid.uuid4().hex
            started = time.perf_counter()
            async with session.post(
                url, json={"sender": sender, "message": messages[index % len(messages)]}
            ) as r:
                await r.read()
                if r.status != 200:
                    errors += 1
            latencies.append(time.perf_counter() - started)

    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        await asyncio.gather(*(conversation(session) for _ in range(min(concurrency, 3))))  # warm-up
        latencies.clear()
        started = time.perf_counter()
        await asyncio.gather(*(conversation(session) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return Result(
        concurrency=concurrency,
        p50_ms=statistics.median(latencies) * 1000,
        p95_ms=latencies[int(len(latencies) * 0.95) - 1] * 1000,
        per_second=len(latencies) / elapsed,
        errors=errors,
    )


def run_load(url: str, messages: list[str], total: int) -> list[Result]:
    return [asyncio.run(_load(url, messages, c, total if c > 1 else total // 2)) for c in CONCURRENCY]


def _rss_mb(pid: int) -> float:
    process = psutil.Process(pid)
    total: int = sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])
    return total / 2**20


def bare_assistant(workdir: Path, total: int) -> tuple[list[Result], float, float]:
    """Create, train and load-test Rasa's template assistant."""
    env = {**os.environ, **PROCESS_ENV}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(workdir)],
        check=True,
        env=env,
        cwd=workdir.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    training = time.perf_counter() - started
    server = subprocess.Popen(
        [sys.executable, "-m", "rasa", "run", "--port", str(BARE_PORT), "--enable-api"],
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(f"http://127.0.0.1:{BARE_PORT}/")
        results = run_load(f"http://127.0.0.1:{BARE_PORT}/webhooks/rest/webhook", BARE_MESSAGES, total)
        memory = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(30)
    return results, training, memory


def baraza_training_time(workdir: Path) -> float:
    """Train Baraza's model from scratch in a copy of the project."""
    for name in ("config.yml", "domain.yml", "data"):
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, workdir / name)
        else:
            shutil.copy(source, workdir / name)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "rasa", "train", "--out", "models", "--fixed-model-name", MODEL_NAME],
        check=True,
        cwd=workdir,
        # The pipeline's own components (rasa_addons/) and the catalogues they read stay in the project.
        env={**os.environ, **PROCESS_ENV, "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def loopback_exempt(directory: Path) -> Path:
    """A limits file in ``directory``: the project's limits with loopback exempt from the per-address
    limit. One address sends every client's messages here, and that limit (meant for one citizen's
    browser) would time its refusals; the per-conversation limit still applies."""
    limits = yaml.safe_load((PROJECT_ROOT / "config" / "limits.yml").read_text(encoding="utf-8"))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "limits.yml"
    path.write_text(yaml.safe_dump({**limits, "exempt_addresses": ["127.0.0.1"]}), encoding="utf-8")
    return path


def baraza(total: int, redis_url: str) -> tuple[list[Result], float]:
    """Load-test the whole Baraza stack."""
    limits_file = loopback_exempt(PROJECT_ROOT / ".data" / "bench-logs")
    settings = replace(
        load_settings(),
        redis_url=redis_url,
        rasa_auth_token=uuid.uuid4().hex,
        rest_channel=True,
        limits_file=limits_file,
    )
    stack = Stack(
        settings=settings,
        model=PROJECT_ROOT / "models" / f"{MODEL_NAME}.tar.gz",
        log_dir=PROJECT_ROOT / ".data" / "bench-logs",
    )
    stack.start()
    try:
        results = run_load("http://127.0.0.1:5005/webhooks/rest/webhook", BARAZA_MESSAGES, total)
        memory = _rss_mb(stack.processes["rasa"].pid)
    finally:
        stack.stop()
    return results, memory


def build_parser() -> argparse.ArgumentParser:
    """The command line (``--help``)."""
    parser = argparse.ArgumentParser(prog="python -m bench.serving")
    parser.add_argument("--requests", type=int, default=600, help="messages per load level")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12"))
    parser.add_argument("--baraza-only", action="store_true", help="skip the bare assistant (tuning runs)")
    balanced = parser.add_argument_group("through the load balancer")
    balanced.add_argument(
        "--through-balancer",
        action="store_true",
        help="Baraza's multi-process layout behind HAProxy, 1 then 2 replicas (no bare assistant)",
    )
    balanced.add_argument("--public-port", type=int, default=9080, help="HAProxy's public port")
    balanced.add_argument("--rasa-port", type=int, default=9005, help="HAProxy's port for Rasa's API")
    balanced.add_argument("--actions-port", type=int, default=9055, help="HAProxy's port for the actions")
    balanced.add_argument(
        "--database-url",
        default=None,
        help="the record (PostgreSQL); default DATABASE_URL, if empty SQLite in a temporary folder",
    )
    return parser


def main() -> None:
    """Run both and print the comparison."""
    args = build_parser().parse_args()
    if args.through_balancer:
        # Imported here: that module builds on this one's load.
        from bench.balanced_serving import Ports
        from bench.balanced_serving import main as through_balancer

        ports = Ports(public=args.public_port, rasa=args.rasa_port, actions=args.actions_port)
        database_url = load_settings().database_url if args.database_url is None else args.database_url
        through_balancer(args.requests, ports, args.redis_url, database_url)
        return
    if args.baraza_only:
        for result in baraza(args.requests, args.redis_url)[0]:
            print(result)
        return
    with tempfile.TemporaryDirectory() as tmp:
        bare_dir = Path(tmp) / "bare"
        bare_dir.mkdir()
        bare_results, bare_training, bare_memory = bare_assistant(bare_dir, args.requests)
        train_dir = Path(tmp) / "baraza"
        train_dir.mkdir()
        training = baraza_training_time(train_dir)
    results, memory = baraza(args.requests, args.redis_url)
    print(f"Serving benchmark, {args.requests} messages per level, {os.cpu_count()} cores")
    header = f"{'conc':>5}{'bare p50':>10}{'bare p95':>10}{'bare msg/s':>12}"
    header += f"{'baraza p50':>12}{'baraza p95':>12}{'baraza msg/s':>14}{'p95 ratio':>11}{'msg/s ratio':>13}"
    print(header)
    for bare, ours in zip(bare_results, results, strict=True):
        print(
            f"{ours.concurrency:>5}{bare.p50_ms:>10.1f}{bare.p95_ms:>10.1f}{bare.per_second:>12.1f}"
            f"{ours.p50_ms:>12.1f}{ours.p95_ms:>12.1f}{ours.per_second:>14.1f}"
            f"{ours.p95_ms / bare.p95_ms:>11.2f}{ours.per_second / bare.per_second:>13.2f}"
            + (f"  errors bare={bare.errors} baraza={ours.errors}" if bare.errors or ours.errors else "")
        )
    print(
        f"training time: bare {bare_training:.0f} s (rasa init, with project creation), "
        f"baraza {training:.0f} s"
    )
    print(f"Rasa server memory (RSS): bare {bare_memory:.0f} MB, baraza {memory:.0f} MB")


if __name__ == "__main__":
    main()
