"""The worker's sign of life: the probe a supervisor runs, against a real worker process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bot.fanout.heartbeat import Heartbeat, is_fresh, main
from bot.settings import PROJECT_ROOT
from tests.conftest import TEST_REDIS_URL


def test_a_fresh_file_passes_and_a_stale_or_missing_one_fails(tmp_path: Path) -> None:
    beat = tmp_path / "sub" / "worker.alive"
    assert not is_fresh(beat, 60)
    Heartbeat(beat).beat()
    assert is_fresh(beat, 60)
    assert not is_fresh(beat, 60, now=time.time() + 61)
    assert main([str(beat), "60"]) == 0
    assert main([str(tmp_path / "missing"), "60"]) == 1
    assert main([str(beat), "soon"]) == 2
    assert main([]) == 2


def _probe(beat: Path, seconds: str) -> int:
    command = [sys.executable, "-m", "bot.fanout.heartbeat", str(beat), seconds]
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, check=False).returncode


def test_a_running_worker_keeps_its_heartbeat_fresh_and_a_killed_one_goes_stale(tmp_path: Path) -> None:
    beat = tmp_path / "worker.alive"
    env = {**os.environ, "REDIS_URL": TEST_REDIS_URL, "BARAZA_WORKER_HEARTBEAT": str(beat)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "bot.fanout", "--name", "heartbeat-test", "--no-housekeeping"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not beat.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        first = beat.stat().st_mtime
        time.sleep(2.5)  # idle rounds end every second (the queue read blocks for 1 s)
        assert beat.stat().st_mtime > first, "an idle worker still beats"
        assert _probe(beat, "5") == 0
    finally:
        worker.kill()
        worker.wait(timeout=20)
    time.sleep(3)
    assert _probe(beat, "2") == 1
