"""What the handoffs of a period add up to, per language, channel and desk: how many, how long citizens
waited for a person and how long people held the conversations, how many citizens left before anyone
came, the ratings, and why the assistant handed over.

Plain arithmetic over :class:`~bot.handoff.model.Handoff` records; the dashboard and the CSV read it
through the insight service. What each figure measures:

- **waiting**: from the citizen's first request to the first time a person claimed the conversation. A
  transfer keeps the first request time, so a transferred citizen's wait is never counted from the
  transfer; a conversation still waiting, or left, has no waiting time (it is counted as abandoned).
- **handling**: from that first claim to the end (a transferred conversation was in people's hands
  throughout, the second queue included); only ended conversations have one.
- **abandoned**: the citizen left (STOP, "cancel", delete my data) before any person claimed it; the
  share is of the handoffs that entered a queue. A request made while the desk was closed never queued:
  it is counted apart (``outside_hours``), not as abandoned.
- **desk**: the desk that has the handoff at the end (where it was ended, rated or left); ``transferred``
  counts how many came there by a transfer.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from bot.handoff.model import Handoff, Status, Trigger

RATINGS = (1, 2, 3, 4, 5)


def first_claim(handoff: Handoff) -> datetime | None:
    """When a person first claimed the conversation (a transfer clears ``claimed_at``; the events
    keep the first), or None if nobody ever did."""
    return next((e.at for e in handoff.events if e.kind == "claimed"), handoff.claimed_at)


def queued(handoff: Handoff) -> bool:
    """Whether the handoff entered a desk's queue (a request made while the desk was closed did not)."""
    return not any(e.kind == "closed" for e in handoff.events)


def waiting_seconds(handoff: Handoff) -> float | None:
    """Seconds from the first request to the first claim; None if nobody claimed it."""
    claimed = first_claim(handoff)
    return None if claimed is None else max(0.0, (claimed - handoff.requested_at).total_seconds())


def handling_seconds(handoff: Handoff) -> float | None:
    """Seconds from the first claim to the end; None unless a person claimed it and it ended."""
    claimed = first_claim(handoff)
    if claimed is None or handoff.ended_at is None or handoff.status is not Status.ENDED:
        return None
    return max(0.0, (handoff.ended_at - claimed).total_seconds())


def abandoned_before_a_person(handoff: Handoff) -> bool:
    """The citizen left the queue before any person claimed the conversation."""
    return handoff.status is Status.ABANDONED and queued(handoff) and first_claim(handoff) is None


def transfers(handoff: Handoff) -> int:
    """How many times the conversation was sent to another desk."""
    return sum(1 for e in handoff.events if e.kind == "transferred")


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (``share`` 0.9 for p90): a value that occurred, never an
    interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass(frozen=True)
class Durations:
    """How many conversations had a duration, its median and 90th percentile (seconds)."""

    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, values: list[float]) -> Durations:
        if not values:
            return cls(0, None, None)
        return cls(len(values), round(statistics.median(values), 1), round(percentile(values, 0.9) or 0.0, 1))


@dataclass(frozen=True)
class Figures:
    """The figures of one group of handoffs (every handoff of the period, or one language's...)."""

    handoffs: int
    waiting: Durations
    handling: Durations
    still_waiting: int  #: in a queue when the figures were taken
    held: int  #: held by a person when the figures were taken
    ended: int
    abandoned: int  #: left before any person came
    abandoned_share: float | None  #: of the handoffs that entered a queue
    outside_hours: int  #: asked while the desk was closed (never queued)
    transferred: int  #: handoffs sent to another desk at least once
    ratings: int
    rating_mean: float | None
    rating_distribution: dict[int, int] = field(default_factory=dict)  #: 1..5 -> how many
    triggers: dict[str, int] = field(default_factory=dict)  #: asked, not_understood, distress -> how many


@dataclass(frozen=True)
class _Facts:
    """What the figures need of one handoff, worked out once (each handoff is in four groups)."""

    handoff: Handoff
    queued: bool
    waiting: float | None
    handling: float | None
    abandoned: bool
    transferred: bool

    @classmethod
    def of(cls, handoff: Handoff) -> _Facts:
        return cls(
            handoff,
            queued(handoff),
            waiting_seconds(handoff),
            handling_seconds(handoff),
            abandoned_before_a_person(handoff),
            transfers(handoff) > 0,
        )


def _figures(facts: list[_Facts]) -> Figures:
    entered = [f for f in facts if f.queued]
    abandoned = sum(1 for f in facts if f.abandoned)
    rated = [f.handoff.rating for f in facts if f.handoff.rating is not None]
    statuses = [f.handoff.status for f in facts]
    triggers = [f.handoff.trigger for f in facts]
    return Figures(
        handoffs=len(facts),
        waiting=Durations.of([f.waiting for f in entered if f.waiting is not None]),
        handling=Durations.of([f.handling for f in entered if f.handling is not None]),
        still_waiting=sum(1 for f in entered if f.handoff.status is Status.WAITING),
        held=statuses.count(Status.CLAIMED),
        ended=statuses.count(Status.ENDED),
        abandoned=abandoned,
        abandoned_share=round(abandoned / len(entered), 4) if entered else None,
        outside_hours=len(facts) - len(entered),
        transferred=sum(1 for f in facts if f.transferred),
        ratings=len(rated),
        rating_mean=round(statistics.fmean(rated), 2) if rated else None,
        rating_distribution={score: rated.count(score) for score in RATINGS},
        triggers={t.value: triggers.count(t) for t in Trigger},
    )


def figures_of(handoffs: Iterable[Handoff]) -> Figures:
    """The figures of ``handoffs``."""
    return _figures([_Facts.of(h) for h in handoffs])


@dataclass(frozen=True)
class HandoffReport:
    """The figures of a period, in all and per language, channel and desk."""

    since: datetime
    until: datetime
    overall: Figures
    by_language: dict[str, Figures]
    by_channel: dict[str, Figures]
    by_desk: dict[str, Figures]


def _grouped(facts: list[_Facts], key: Callable[[Handoff], str]) -> dict[str, Figures]:
    groups: dict[str, list[_Facts]] = {}
    for fact in facts:
        groups.setdefault(key(fact.handoff), []).append(fact)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return {name: _figures(members) for name, members in ordered}


def in_period(handoffs: Iterable[Handoff], since: datetime, until: datetime) -> list[Handoff]:
    """The handoffs asked for at or after ``since`` and before ``until``, oldest first."""
    return sorted((h for h in handoffs if since <= h.requested_at < until), key=lambda h: h.requested_at)


def report(handoffs: Iterable[Handoff], since: datetime, until: datetime) -> HandoffReport:
    """The figures of the handoffs asked for in [``since``, ``until``); the largest groups first."""
    facts = [_Facts.of(h) for h in in_period(handoffs, since, until)]
    return HandoffReport(
        since=since,
        until=until,
        overall=_figures(facts),
        by_language=_grouped(facts, lambda h: h.language),
        by_channel=_grouped(facts, lambda h: h.channel),
        by_desk=_grouped(facts, lambda h: h.desk),
    )
