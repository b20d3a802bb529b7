"""Supervision in ``./baraza run``: a stopped process is started again, one that keeps stopping is not."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from bot.runtime.stack import CRASH_WINDOW, MAX_CRASHES, KeepsCrashing, Stack
from bot.settings import load_settings


def _stack(tmp_path: Path) -> Stack:
    settings = load_settings({"REDIS_URL": "redis://127.0.0.1:6379/9"})
    return Stack(settings=settings, model=tmp_path / "model.tar.gz", log_dir=tmp_path)


def test_a_stopped_process_is_started_again_and_a_running_one_left_alone(tmp_path: Path) -> None:
    stack = _stack(tmp_path)
    steady = stack.spawn("steady", [sys.executable, "-c", "import time; time.sleep(30)"])
    crashed = stack.spawn("crashing", [sys.executable, "-c", "import sys; sys.exit(3)"])
    crashed.wait(timeout=10)
    try:
        assert stack.revive_stopped() == [("crashing", 3)]
        assert stack.processes["steady"] is steady and steady.poll() is None
        assert stack.processes["crashing"] is not crashed  # a new process, same command
        stack.processes["crashing"].wait(timeout=10)
        assert stack.revive_stopped(now=time.monotonic() + CRASH_WINDOW + 1) == [("crashing", 3)]
    finally:
        stack.stop()


def test_a_process_that_keeps_stopping_makes_the_stack_give_up(tmp_path: Path) -> None:
    stack = _stack(tmp_path)
    stack.spawn("crashing", [sys.executable, "-c", "import sys; sys.exit(1)"])
    try:
        with pytest.raises(KeepsCrashing, match="crashing stopped"):
            for _ in range(MAX_CRASHES):
                stack.processes["crashing"].wait(timeout=10)
                stack.revive_stopped()
    finally:
        stack.stop()
