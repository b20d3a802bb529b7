"""The figures of a period's handoffs, over handoffs built here: waiting and handling times, the
citizens who left before a person came, ratings and triggers, in all and per language, channel, desk."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.handoff.figures import (
    Durations,
    abandoned_before_a_person,
    figures_of,
    handling_seconds,
    percentile,
    report,
    waiting_seconds,
)
from bot.handoff.model import EndReason, Handoff, Status, Trigger

START = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)
PERIOD = (START - timedelta(days=1), START + timedelta(days=30))


def _asked(
    n: int,
    *,
    minutes: float = 0,
    language: str = "es",
    channel: str = "socketio",
    desk: str = "citizen_services",
    trigger: Trigger = Trigger.ASKED,
) -> Handoff:
    at = START + timedelta(minutes=minutes)
    return Handoff(f"h_{n}", f"web:{n}", channel, language, desk, trigger, at).with_event(
        "requested", at, "citizen", detail={"trigger": trigger, "desk": desk}
    )


def _claimed(handoff: Handoff, after: float, agent: str = "amina") -> Handoff:
    at = handoff.requested_at + timedelta(minutes=after)
    return handoff.with_event("claimed", at, agent, status=Status.CLAIMED, agent=agent, claimed_at=at)


def _ended(handoff: Handoff, after: float, rating: int | None = None) -> Handoff:
    at = handoff.requested_at + timedelta(minutes=after)
    ended = handoff.with_event(
        "ended",
        at,
        handoff.agent or "citizen",
        status=Status.ENDED,
        ended_at=at,
        end_reason=EndReason.RESOLVED,
    )
    return ended if rating is None else ended.with_event("rated", at, "citizen", rating=rating)


def _abandoned(handoff: Handoff, after: float) -> Handoff:
    at = handoff.requested_at + timedelta(minutes=after)
    return handoff.with_event("abandoned", at, "citizen", status=Status.ABANDONED, ended_at=at)


def _transferred(handoff: Handoff, after: float, desk: str) -> Handoff:
    at = handoff.requested_at + timedelta(minutes=after)
    return handoff.with_event(
        "transferred",
        at,
        handoff.agent or "amina",
        status=Status.WAITING,
        desk=desk,
        agent=None,
        claimed_at=None,
        detail={"from": handoff.desk, "to": desk, "note": "water"},
    )


def test_no_handoffs_give_zeros_and_no_times_rather_than_errors() -> None:
    empty = report([], *PERIOD)
    assert empty.overall.handoffs == 0 and empty.by_language == {} and empty.by_desk == {}
    assert empty.overall.waiting == Durations(0, None, None) == empty.overall.handling
    assert empty.overall.abandoned_share is None and empty.overall.rating_mean is None
    assert empty.overall.rating_distribution == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}
    assert empty.overall.triggers == {"asked": 0, "not_understood": 0, "distress": 0}


def test_waiting_is_from_the_request_to_the_claim_and_handling_from_the_claim_to_the_end() -> None:
    handoffs = [_ended(_claimed(_asked(n), after=n), after=n + 10 * n) for n in range(1, 11)]
    figures = figures_of(handoffs)
    assert figures.handoffs == figures.ended == 10
    # waits of 1..10 minutes: median 5.5 min, p90 the 9th of ten (a wait that happened)
    assert figures.waiting == Durations(10, 330.0, 540.0)
    # held 10, 20 .. 100 minutes
    assert figures.handling == Durations(10, 55 * 60.0, 90 * 60.0)


def test_a_transferred_conversation_keeps_its_first_request_time() -> None:
    first = _claimed(_asked(1, desk="citizen_services"), after=4)
    moved = _transferred(first, after=6, desk="water_desk")
    again = _ended(_claimed(moved, after=15, agent="bakari"), after=25)
    assert again.requested_at == first.requested_at and again.desk == "water_desk"
    assert waiting_seconds(again) == 4 * 60  # until the first person came, not from the transfer
    assert handling_seconds(again) == 21 * 60  # from the first claim to the end
    desks = report([again], *PERIOD).by_desk
    assert list(desks) == ["water_desk"] and desks["water_desk"].transferred == 1


def test_abandoned_ones_have_no_handling_time_and_count_against_the_queue() -> None:
    left = _abandoned(_asked(1), after=12)
    served = _ended(_claimed(_asked(2), after=2), after=8)
    waiting = _asked(3)
    held = _claimed(_asked(4), after=1)
    left_after_a_person = _ended(_claimed(_asked(5), after=1), after=3)  # the citizen said STOP
    closed = Handoff("h_6", "web:6", "socketio", "es", "water_desk", Trigger.ASKED, START, Status.ABANDONED)
    closed = closed.with_event("closed", START, "assistant", detail={"desk": "water_desk"})
    assert handling_seconds(left) is None and waiting_seconds(left) is None
    assert abandoned_before_a_person(left) and not abandoned_before_a_person(closed)
    figures = figures_of([left, served, waiting, held, left_after_a_person, closed])
    assert (figures.abandoned, figures.outside_hours) == (1, 1)
    assert figures.abandoned_share == 0.2  # one of the five that queued
    assert (figures.still_waiting, figures.held, figures.ended) == (1, 1, 2)
    assert figures.waiting.count == 3 and figures.handling.count == 2


def test_ratings_count_mean_and_distribution() -> None:
    scores = [5, 5, 4, 1]
    rated = [_ended(_claimed(_asked(n), after=1), after=2, rating=s) for n, s in enumerate(scores)]
    unrated = _ended(_claimed(_asked(9), after=1), after=2)
    figures = figures_of([*rated, unrated])
    assert (figures.ratings, figures.rating_mean) == (4, 3.75)
    assert figures.rating_distribution == {1: 1, 2: 0, 3: 0, 4: 1, 5: 2}


def test_per_language_channel_and_desk_with_triggers_largest_groups_first() -> None:
    handoffs = [
        _asked(1, language="sw", channel="africastalking", trigger=Trigger.DISTRESS, desk="health_line"),
        _asked(2, language="sw", channel="africastalking", trigger=Trigger.NOT_UNDERSTOOD),
        _asked(3, language="sw", channel="socketio"),
        _asked(4, language="ar", channel="telegram"),
    ]
    figures = report(handoffs, *PERIOD)
    assert list(figures.by_language) == ["sw", "ar"]
    assert figures.by_language["sw"].triggers == {"asked": 1, "not_understood": 1, "distress": 1}
    assert {k: v.handoffs for k, v in figures.by_channel.items()} == {
        "africastalking": 2,
        "socketio": 1,
        "telegram": 1,
    }
    assert {k: v.handoffs for k, v in figures.by_desk.items()} == {"citizen_services": 3, "health_line": 1}
    assert figures.overall.triggers == {"asked": 2, "not_understood": 1, "distress": 1}


def test_only_the_period_counts() -> None:
    before, inside, after = _asked(1, minutes=-60 * 24 * 3), _asked(2), _asked(3, minutes=60 * 24 * 40)
    assert report([after, inside, before], *PERIOD).overall.handoffs == 1


def test_percentile_is_a_value_that_occurred() -> None:
    assert percentile([], 0.9) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([float(n) for n in range(1, 101)], 0.9) == 90.0
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
