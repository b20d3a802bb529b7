"""A delivery worker's sign of life, for process supervisors that cannot ask it over HTTP.

The worker has no port; it touches a file after every round (a round ends at least every few seconds,
even when idle, because reading the queue blocks for a bounded time). A liveness probe runs
``python -m bot.fanout.heartbeat FILE SECONDS``: exit 0 when the file was touched within SECONDS.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


class Heartbeat:
    """Touches ``path`` (creating it) each time :meth:`beat` is called."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def beat(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.touch()


def is_fresh(path: Path, max_age: float, now: float | None = None) -> bool:
    """Whether ``path`` exists and was touched at most ``max_age`` seconds ago."""
    try:
        touched = path.stat().st_mtime
    except OSError:
        return False
    return (time.time() if now is None else now) - touched <= max_age


def main(argv: list[str]) -> int:
    """``FILE SECONDS``: 0 when fresh, 1 when stale or missing, 2 on bad arguments."""
    if len(argv) != 2:
        print("usage: python -m bot.fanout.heartbeat FILE SECONDS", file=sys.stderr)
        return 2
    try:
        max_age = float(argv[1])
    except ValueError:
        print(f"SECONDS must be a number, got {argv[1]!r}", file=sys.stderr)
        return 2
    if is_fresh(Path(argv[0]), max_age):
        return 0
    print(f"{argv[0]} not touched in the last {max_age:g} s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
