"""What analysts read of the questions Baraza could not answer (analyst keys only: it spans every
ministry and channel)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.auth.roles import Actor, Forbidden, Permission
from bot.insights.unanswered import Group, UnansweredLog, grouped

#: Longest span one listing covers.
MAX_DAYS = 92


class InsightsForbidden(Forbidden):
    """Only analysts read the conversation insights (HTTP 403)."""


class InsightService:
    """Grouped unanswered questions, their CSV, and the share of turns understood."""

    def __init__(self, log: UnansweredLog, clock: Callable[[], datetime]) -> None:
        self._log = log
        self._clock = clock

    @staticmethod
    def _require(actor: Actor) -> None:
        if not actor.may(Permission.READ_ALL_MINISTRIES):
            raise InsightsForbidden(f"the {actor.role.value} role may not read the conversation insights")

    def unanswered(self, actor: Actor, days: int, language: str | None = None) -> tuple[list[Group], int]:
        """The last ``days`` days' unanswered questions, grouped by wording, and how many in all."""
        self._require(actor)
        until = self._clock()
        entries = self._log.entries(until - timedelta(days=min(days, MAX_DAYS)), until, language)
        return grouped(entries), len(entries)

    def unanswered_csv(self, actor: Actor, days: int, language: str | None = None) -> str:
        """The groups as CSV (cells never run as spreadsheet formulas)."""
        from bot.concerns.analysis import safe_cell

        groups, _ = self.unanswered(actor, days, language)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["count", "example", "languages", "reasons", "last"])
        for group in groups:
            row: list[Any] = [group.count, group.example, " ".join(group.languages), " ".join(group.reasons)]
            writer.writerow([safe_cell(value) for value in [*row, group.last.isoformat()]])
        return buffer.getvalue()

    def understood(self, actor: Actor, days: int) -> list[dict[str, object]]:
        """Per day and language over the last ``days`` days: turns, unanswered, share understood."""
        self._require(actor)
        today = self._clock().date()
        return self._log.understood(today - timedelta(days=min(days, MAX_DAYS) - 1), today)
