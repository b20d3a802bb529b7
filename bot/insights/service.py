"""What analysts read of the questions Baraza could not answer, and the figures and records of the
conversations handed to a person (analyst keys only: they span every ministry and channel)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.auth.roles import Actor, Forbidden, Permission
from bot.handoff.figures import (
    HandoffReport,
    first_claim,
    handling_seconds,
    report,
    transfers,
    waiting_seconds,
)
from bot.handoff.model import Handoff
from bot.insights.unanswered import Group, UnansweredLog, grouped

#: Longest span one listing covers.
MAX_DAYS = 92


class InsightsForbidden(Forbidden):
    """Only analysts read the conversation insights (HTTP 403)."""


#: The columns of the handoffs' CSV: what each handoff was and how it went, nothing that identifies
#: the citizen (no conversation id, no address, no message) and no agent; the rating's comment is
#: stored redacted (as concerns are).
HANDOFF_COLUMNS = (
    "handoff_id",
    "desk",
    "language",
    "channel",
    "trigger",
    "requested_at",
    "claimed_at",
    "ended_at",
    "waiting_seconds",
    "handling_seconds",
    "transfers",
    "status",
    "end_reason",
    "rating",
    "comment",
)


def _handoff_row(handoff: Handoff) -> list[Any]:
    claimed = first_claim(handoff)
    return [
        handoff.handoff_id,
        handoff.desk,
        handoff.language,
        handoff.channel,
        handoff.trigger.value,
        handoff.requested_at.isoformat(),
        claimed.isoformat() if claimed else "",
        handoff.ended_at.isoformat() if handoff.ended_at else "",
        waiting_seconds(handoff) if claimed else "",
        "" if (handling := handling_seconds(handoff)) is None else handling,
        transfers(handoff),
        handoff.status.value,
        handoff.end_reason.value if handoff.end_reason else "",
        "" if handoff.rating is None else handoff.rating,
        handoff.comment,
    ]


class InsightService:
    """Grouped unanswered questions, their CSV, the share of turns understood, and the handoffs'
    figures and records."""

    def __init__(
        self,
        log: UnansweredLog,
        clock: Callable[[], datetime],
        handoffs_since: Callable[[datetime], list[Handoff]] = lambda since: [],
    ) -> None:
        self._log = log
        self._clock = clock
        self._handoffs_since = handoffs_since

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

    def _handoffs(self, actor: Actor, days: int) -> tuple[list[Handoff], datetime, datetime]:
        self._require(actor)
        until = self._clock()
        since = until - timedelta(days=min(days, MAX_DAYS))
        return self._handoffs_since(since), since, until

    def handoff_figures(self, actor: Actor, days: int) -> HandoffReport:
        """The last ``days`` days' handoffs to a person, in all and per language, channel and desk."""
        handoffs, since, until = self._handoffs(actor, days)
        return report(handoffs, since, until)

    def handoffs_csv(self, actor: Actor, days: int) -> str:
        """One row per handoff of the last ``days`` days (:data:`HANDOFF_COLUMNS`; cells never run as
        spreadsheet formulas)."""
        from bot.concerns.analysis import safe_cell

        handoffs, since, until = self._handoffs(actor, days)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HANDOFF_COLUMNS)
        for handoff in handoffs:
            if since <= handoff.requested_at < until:
                writer.writerow([safe_cell(value) for value in _handoff_row(handoff)])
        return buffer.getvalue()
