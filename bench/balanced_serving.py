"""Serving speed through the load balancer: the multi-process layout with 1 and then 2 replicas.

Usage: ``python -m bench.serving --through-balancer [--requests N] [--database-url URL]``. Each phase
starts the real layout of ``bot/runtime/cluster.py`` (N Rasa replicas, N action servers, N web apps,
N delivery workers, HAProxy in front), runs the same load as ``bench.serving`` (1, 10 and 50 clients
holding 10-message conversations) through HAProxy's public port on the REST webhook (round robin:
consecutive turns of a conversation land on different replicas, the Redis lock store keeps them in
order), and stops every process before the next phase starts. Printed per phase: p50/p95 and
messages per second, how many requests each Rasa replica served (HAProxy's access log), and the
machine's core count and load average before and after the load; then the 2-vs-1 ratios.

Every replica of every process shares the same cores here: on a 2-core machine two Rasa replicas can
at best use the second core that one replica leaves idle, so the gain is bounded well below 2×.
The client address (127.0.0.1, forwarded by HAProxy) is exempt from the per-address rate limit, as in
``tests/e2e/test_replicas.py``: 50 clients from one address would otherwise be refused as a flood and
the figures would time the refusals.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType

from bench.serving import BARAZA_MESSAGES, Result, loopback_exempt, run_load
from bot.runtime.cluster import Cluster, replica_port
from bot.runtime.training import MODEL_NAME
from bot.settings import PROJECT_ROOT, Settings, load_settings

#: The replica counts compared, in the order they run.
REPLICA_COUNTS = (1, 2)
#: A Rasa replica's name in HAProxy's access log line (``client rasa_public/rasa2 200 ...``).
SERVED_BY = re.compile(r" rasa_public/(rasa\d+) ")


@dataclass(frozen=True)
class Ports:
    """The balancer's ports; replica ``i`` of each process listens on the port + 100 × ``i``. Far from
    the defaults (8080, 5005, 5055) so a stack already running on this machine is left alone."""

    public: int = 9080
    rasa: int = 9005
    actions: int = 9055

    def used(self, replicas: int) -> list[int]:
        """Every port the layout with ``replicas`` replicas listens on."""
        balanced = [self.public, self.rasa, self.actions]
        return balanced + [replica_port(p, i) for i in range(1, replicas + 1) for p in balanced]


@dataclass(frozen=True)
class MachineLoad:
    """How busy the machine is: the load average counts runnable processes, other sessions' included."""

    cores: int
    one: float
    five: float
    fifteen: float

    @classmethod
    def now(cls) -> MachineLoad:
        one, five, fifteen = os.getloadavg()
        return cls(os.cpu_count() or 1, one, five, fifteen)

    def describe(self) -> str:
        return f"{self.cores} cores, load average {self.one:.2f} / {self.five:.2f} / {self.fifteen:.2f}"


@dataclass(frozen=True)
class Phase:
    """One replica count's figures."""

    replicas: int
    results: list[Result]
    before: MachineLoad
    after: MachineLoad
    served_by: dict[str, int]


def listening(ports: list[int], host: str = "127.0.0.1") -> list[int]:
    """The ports among ``ports`` something accepts connections on."""
    taken = []
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.5)
            if probe.connect_ex((host, port)) == 0:
                taken.append(port)
    return taken


def wait_until_free(ports: list[int], timeout: float = 30.0) -> list[int]:
    """Wait for ``ports`` to be released; returns those still taken after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    taken = listening(ports)
    while taken and time.monotonic() < deadline:
        time.sleep(0.5)
        taken = listening(taken)
    return taken


def served_by(access_log: str) -> dict[str, int]:
    """Requests per Rasa replica in HAProxy's access log (the warm-ups included)."""
    return dict(sorted(Counter(SERVED_BY.findall(access_log)).items()))


def cluster_settings(ports: Ports, redis_url: str, database_url: str, data_dir: Path) -> Settings:
    """The layout's settings: the given ports, Redis and database, the REST channel on, loopback
    exempt from the per-address rate limit (the per-conversation limit still applies)."""
    settings = load_settings(
        {
            "BARAZA_RASA_PORT": str(ports.rasa),
            "BARAZA_ACTION_SERVER_PORT": str(ports.actions),
            "BARAZA_WEB_PORT": str(ports.public),
        }
    )
    limits_file = loopback_exempt(data_dir)
    return replace(
        settings,
        redis_url=redis_url,
        database_url=database_url,
        rasa_auth_token=uuid.uuid4().hex,
        rest_channel=True,
        data_dir=data_dir,
        limits_file=limits_file,
    )


def run_phase(replicas: int, total: int, ports: Ports, redis_url: str, database_url: str) -> Phase:
    """Start the layout with ``replicas`` replicas, load it through HAProxy, stop every process."""
    taken = listening(ports.used(replicas))
    if taken:
        raise RuntimeError(f"ports already in use, pick others (--public-port...): {taken}")
    log_dir = PROJECT_ROOT / ".data" / "bench-logs" / f"balancer-{replicas}"
    shutil.rmtree(log_dir, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="baraza-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir(mode=0o700)
        cluster = Cluster(
            settings=cluster_settings(ports, redis_url, database_url, data_dir),
            model=PROJECT_ROOT / "models" / f"{MODEL_NAME}.tar.gz",
            log_dir=log_dir,
            replicas=replicas,
        )
        try:
            cluster.start()
            before = MachineLoad.now()
            print(f"{replicas} replica(s) up; before the load: {before.describe()}", flush=True)
            results = run_load(
                f"http://127.0.0.1:{ports.public}/webhooks/rest/webhook", BARAZA_MESSAGES, total
            )
            after = MachineLoad.now()
            print(f"{replicas} replica(s); after the load: {after.describe()}", flush=True)
        finally:
            cluster.stop()
            still = wait_until_free(ports.used(replicas))
            if still:
                print(f"warning: ports still taken after the stop: {still}", flush=True)
    balancer_log = log_dir / "balancer.log"
    access = balancer_log.read_text(encoding="utf-8", errors="replace") if balancer_log.exists() else ""
    return Phase(replicas, results, before, after, served_by(access))


def phase_table(phase: Phase) -> str:
    """One phase's figures, one line per load level."""
    lines = [
        f"{phase.replicas} replica(s) behind HAProxy (requests per Rasa replica: "
        + (", ".join(f"{name} {count}" for name, count in phase.served_by.items()) or "not logged")
        + ")",
        f"  load average before {phase.before.one:.2f}, after {phase.after.one:.2f} (1 min)",
        f"{'conc':>7}{'p50 ms':>10}{'p95 ms':>10}{'msg/s':>10}",
    ]
    for r in phase.results:
        errors = f"  errors={r.errors}" if r.errors else ""
        lines.append(f"{r.concurrency:>7}{r.p50_ms:>10.1f}{r.p95_ms:>10.1f}{r.per_second:>10.1f}{errors}")
    return "\n".join(lines)


def ratio_table(one: Phase, two: Phase) -> str:
    """``two`` against ``one``, per load level: p95 ratio (below 1: faster) and throughput ratio."""
    lines = [
        f"{two.replicas} vs {one.replicas} replica(s)",
        f"{'conc':>7}{'p50 ratio':>11}{'p95 ratio':>11}{'msg/s ratio':>13}",
    ]
    for a, b in zip(one.results, two.results, strict=True):
        lines.append(
            f"{a.concurrency:>7}{b.p50_ms / a.p50_ms:>11.2f}{b.p95_ms / a.p95_ms:>11.2f}"
            f"{b.per_second / a.per_second:>13.2f}"
        )
    return "\n".join(lines)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main(total: int, ports: Ports, redis_url: str, database_url: str) -> None:
    """Both phases in one run, then the comparison. SIGTERM stops the layout as Ctrl-C does."""
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        start = MachineLoad.now()
        print(
            f"Serving through HAProxy, {total} messages per load level; at the start: {start.describe()}",
            flush=True,
        )
        phases = [run_phase(n, total, ports, redis_url, database_url) for n in REPLICA_COUNTS]
    finally:
        signal.signal(signal.SIGTERM, previous)
    for phase in phases:
        print(phase_table(phase))
    print(ratio_table(phases[0], phases[1]))
    cores = os.cpu_count() or 1
    print(
        f"{cores} cores shared by every process of both replicas, HAProxy, Redis, the database and this "
        "client: the gain from a second replica is bounded by the idle core one replica leaves, not 2×."
    )
