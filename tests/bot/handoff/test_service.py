"""Handoffs against a real Redis: the queue citizens see, one person per conversation, transfers,
ends, ratings, and a distress message first in line."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import redis

from bot.handoff.desks import DeskDirectory, load_desks
from bot.handoff.distress import DistressKind
from bot.handoff.model import EndReason, Status, Trigger
from bot.handoff.service import Agent, AlreadyTaken, HandoffService, NotYourDesk
from bot.handoff.store import Conflict, HandoffStore
from bot.services import Services

TUESDAY_MORNING = datetime(2026, 12, 1, 7, 0, tzinfo=timezone.utc)  # 10:00 in Nairobi
SUNDAY = datetime(2026, 12, 6, 7, 0, tzinfo=timezone.utc)
AMINA = Agent("amina", frozenset({"citizen_services"}))
BAKARI = Agent("bakari", frozenset({"citizen_services", "water_desk"}))
HEALTH = Agent("hana", frozenset({"health_line"}))


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture()
def desks(config_dir: Path) -> DeskDirectory:
    return load_desks(config_dir, {"interior", "health", "disaster", "water"})


@pytest.fixture()
def clock() -> Clock:
    return Clock(TUESDAY_MORNING)


@pytest.fixture()
def handoffs(redis_client: redis.Redis[bytes], desks: DeskDirectory, clock: Clock) -> HandoffService:
    return HandoffService(HandoffStore(redis_client), lambda: desks, clock, timedelta(days=90))


def _ask(handoffs: HandoffService, who: str, clock: Clock, **kwargs: object) -> int | None:
    clock.advance(seconds=1)
    return handoffs.ask(f"web:{who}", "socketio", "es", Trigger.ASKED, **kwargs).position  # type: ignore[arg-type]


def test_three_waiting_see_1_2_3_and_move_up_when_the_first_is_claimed(
    handoffs: HandoffService, clock: Clock
) -> None:
    assert [_ask(handoffs, who, clock) for who in ("ana", "ben", "chi")] == [1, 2, 3]
    first = handoffs.active("web:ana")
    assert first is not None and first.status is Status.WAITING
    claimed, places = handoffs.claim(AMINA, first.handoff_id)
    assert claimed.status is Status.CLAIMED and claimed.agent == "amina"
    assert [(p.handoff.conversation_id, p.position) for p in places] == [("web:ben", 1), ("web:chi", 2)]
    assert handoffs.held("web:ana") and not handoffs.held("web:ben")
    assert places[1].expected_wait == 2 * places[0].expected_wait


def test_a_claim_further_down_the_queue_moves_up_only_those_behind_it(
    handoffs: HandoffService, clock: Clock
) -> None:
    """Those ahead keep their place: they are not told it again."""
    assert [_ask(handoffs, who, clock) for who in ("ana", "ben", "chi")] == [1, 2, 3]
    second = handoffs.active("web:ben")
    assert second is not None
    _, places = handoffs.claim(AMINA, second.handoff_id)
    assert [(p.handoff.conversation_id, p.position) for p in places] == [("web:chi", 2)]


def test_asking_again_keeps_the_place_instead_of_queueing_twice(
    handoffs: HandoffService, clock: Clock
) -> None:
    _ask(handoffs, "ana", clock)
    _ask(handoffs, "ben", clock)
    assert _ask(handoffs, "ana", clock) == 1
    assert len(handoffs.waiting(AMINA, "citizen_services")) == 2


def test_a_distress_message_goes_to_the_front(handoffs: HandoffService, clock: Clock) -> None:
    _ask(handoffs, "ana", clock)
    _ask(handoffs, "ben", clock)
    ticket = handoffs.ask("sms:+254700000001", "twilio", "sw", Trigger.ASKED, distress=DistressKind.VIOLENCE)
    assert ticket.position == 1 and ticket.handoff.trigger is Trigger.DISTRESS
    assert [h.conversation_id for h in handoffs.waiting(AMINA, "citizen_services")][:2] == [
        "sms:+254700000001",
        "web:ana",
    ]
    # The two already waiting moved back a place: their new places, to tell them at once.
    assert [(p.handoff.conversation_id, p.position) for p in ticket.moved] == [("web:ana", 2), ("web:ben", 3)]


def test_an_ordinary_request_moves_nobody(handoffs: HandoffService, clock: Clock) -> None:
    _ask(handoffs, "ana", clock)
    clock.advance(seconds=1)
    assert handoffs.ask("web:ben", "socketio", "es", Trigger.ASKED).moved == ()


def test_a_second_claim_is_refused_even_at_the_same_moment(handoffs: HandoffService, clock: Clock) -> None:
    _ask(handoffs, "ana", clock)
    handoff = handoffs.active("web:ana")
    assert handoff is not None
    outcomes: list[str] = []

    def claim(agent: Agent) -> None:
        try:
            handoffs.claim(agent, handoff.handoff_id)
            outcomes.append("claimed")
        except AlreadyTaken:
            outcomes.append("refused")

    threads = [threading.Thread(target=claim, args=(a,)) for a in (AMINA, BAKARI, AMINA, BAKARI)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["claimed", "refused", "refused", "refused"]


def test_people_see_and_take_only_their_desks(handoffs: HandoffService, clock: Clock) -> None:
    _ask(handoffs, "ana", clock)
    handoff = handoffs.active("web:ana")
    assert handoff is not None
    with pytest.raises(NotYourDesk):
        handoffs.claim(HEALTH, handoff.handoff_id)
    with pytest.raises(NotYourDesk):
        handoffs.waiting(HEALTH, "citizen_services")
    handoffs.claim(AMINA, handoff.handoff_id)
    with pytest.raises(NotYourDesk):
        handoffs.may_reply(BAKARI, handoff.handoff_id)  # same desk, but Amina holds it
    with pytest.raises(NotYourDesk):
        handoffs.end(BAKARI, handoff.handoff_id, EndReason.RESOLVED)


def test_a_transfer_keeps_the_citizen_s_time_and_carries_the_note(
    handoffs: HandoffService, clock: Clock
) -> None:
    _ask(handoffs, "ana", clock)
    handoff = handoffs.active("web:ana")
    assert handoff is not None
    handoffs.claim(BAKARI, handoff.handoff_id)
    clock.advance(minutes=3)
    handoffs.ask("web:later", "socketio", "es", Trigger.ASKED, topic="water_sanitation")
    moved, places = handoffs.transfer(
        BAKARI, handoff.handoff_id, "water_desk", "No water in Bandari for 3 days"
    )
    assert moved.desk == "water_desk" and moved.status is Status.WAITING and moved.agent is None
    assert [p.handoff.conversation_id for p in places] == ["web:ana", "web:later"]
    assert moved.events[-1].detail == {
        "from": "citizen_services",
        "to": "water_desk",
        "note": "No water in Bandari for 3 days",
    }


def test_end_then_rating_recorded_with_every_event(handoffs: HandoffService, clock: Clock) -> None:
    _ask(handoffs, "ana", clock)
    handoff = handoffs.active("web:ana")
    assert handoff is not None
    with pytest.raises(Conflict):
        handoffs.rate(handoff.handoff_id, "web:ana", 5)  # not ended yet
    handoffs.claim(AMINA, handoff.handoff_id)
    clock.advance(minutes=4)
    ended = handoffs.end(AMINA, handoff.handoff_id, EndReason.RESOLVED)
    assert ended.status is Status.ENDED and handoffs.active("web:ana") is None
    with pytest.raises(KeyError):
        handoffs.rate(handoff.handoff_id, "web:someone-else", 5)
    with pytest.raises(ValueError):
        handoffs.rate(handoff.handoff_id, "web:ana", 9)
    rated = handoffs.rate(handoff.handoff_id, "web:ana", 4, "Quick, thank you")
    assert (rated.rating, rated.comment) == (4, "Quick, thank you")
    assert [(e.kind, e.actor) for e in rated.events] == [
        ("requested", "citizen"),
        ("claimed", "amina"),
        ("ended", "amina"),
        ("rated", "citizen"),
    ]
    # The desk's next estimate uses the 4 minutes this one took.
    _ask(handoffs, "ben", clock)
    assert handoffs.ticket(handoffs.active("web:ben")).expected_wait == timedelta(minutes=4)  # type: ignore[arg-type]


def test_in_progress_from_the_queue_until_the_comment_or_an_hour_after_the_end(
    handoffs: HandoffService, clock: Clock
) -> None:
    """While in progress, a USSD citizen's SMS belong to their handed-over conversation."""
    assert not handoffs.in_progress("ussd:+254711000001")
    handoffs.ask("ussd:+254711000001", "ussd", "sw", Trigger.ASKED)
    assert handoffs.in_progress("ussd:+254711000001")  # waiting
    assert not handoffs.in_progress("ussd:+254711000002") and not handoffs.in_progress("sms:+254711000001")
    handoff = handoffs.active("ussd:+254711000001")
    assert handoff is not None
    handoffs.claim(AMINA, handoff.handoff_id)
    assert handoffs.in_progress("ussd:+254711000001")  # held
    handoffs.end(AMINA, handoff.handoff_id, EndReason.RESOLVED)
    assert handoffs.in_progress("ussd:+254711000001")  # the rating is asked
    handoffs.rate(handoff.handoff_id, "ussd:+254711000001", 4)
    assert handoffs.in_progress("ussd:+254711000001")  # the comment is offered
    handoffs.rate(handoff.handoff_id, "ussd:+254711000001", 4, "Asante")
    assert not handoffs.in_progress("ussd:+254711000001")  # done: SMS are the citizen's own again

    handoffs.ask("ussd:+254711000003", "ussd", "sw", Trigger.ASKED)
    unrated = handoffs.active("ussd:+254711000003")
    assert unrated is not None
    handoffs.claim(AMINA, unrated.handoff_id)
    handoffs.end(AMINA, unrated.handoff_id, EndReason.RESOLVED)
    clock.advance(minutes=59)
    assert handoffs.in_progress("ussd:+254711000003")
    clock.advance(minutes=2)
    assert not handoffs.in_progress("ussd:+254711000003")  # never rated: an hour later, no longer


def test_a_citizen_who_stops_while_held_is_asked_no_rating(handoffs: HandoffService, clock: Clock) -> None:
    handoffs.ask("ussd:+254711000004", "ussd", "sw", Trigger.ASKED)
    handoff = handoffs.active("ussd:+254711000004")
    assert handoff is not None
    handoffs.claim(AMINA, handoff.handoff_id)
    left = handoffs.leave("ussd:+254711000004")
    assert left is not None and left.status is Status.ENDED
    assert not handoffs.in_progress("ussd:+254711000004")


def test_a_citizen_who_leaves_before_anyone_comes_is_counted_as_abandoned(
    handoffs: HandoffService, clock: Clock
) -> None:
    _ask(handoffs, "ana", clock)
    _ask(handoffs, "ben", clock)
    left = handoffs.leave("web:ana")
    assert left is not None and left.status is Status.ABANDONED
    assert [p.position for p in handoffs.places("citizen_services")] == [1]
    assert handoffs.leave("web:nobody") is None


def test_outside_hours_nobody_is_queued_and_the_next_opening_is_given(
    handoffs: HandoffService, clock: Clock
) -> None:
    clock.at = SUNDAY
    ticket = handoffs.ask("web:ana", "socketio", "es", Trigger.ASKED)
    assert not ticket.open and ticket.position is None
    assert ticket.next_opening == datetime.fromisoformat("2026-12-07T08:00:00+03:00")
    assert handoffs.active("web:ana") is None
    # Danger does not wait for office hours: it goes at once to a desk that is open.
    urgent = handoffs.ask("web:ben", "socketio", "es", Trigger.ASKED, distress=DistressKind.SELF_HARM)
    assert urgent.open and urgent.position == 1 and urgent.handoff.desk == "health_line"


def test_a_rating_comment_is_stored_without_personal_data(services: Services) -> None:
    """Through the composition root: the concerns' redaction is the handoffs' too."""
    hana = Agent("hana", frozenset({"health_line"}))
    ticket = services.handoffs.ask("sms:+254700000009", "twilio", "en", Trigger.ASKED, topic="health")
    services.handoffs.claim(hana, ticket.handoff.handoff_id)
    services.handoffs.end(hana, ticket.handoff.handoff_id, EndReason.RESOLVED)
    comment = "Very kind. Call me on 0712 345 678 or write to amina.o@example.org, my name is Amina Odhiambo."
    rated = services.handoffs.rate(ticket.handoff.handoff_id, "sms:+254700000009", 5, comment)
    stored = services.handoffs.asked_since(rated.requested_at)[0]
    assert stored.rating == 5 and stored.comment.startswith("Very kind.")
    for personal in ("0712 345 678", "amina.o@example.org", "Odhiambo"):
        assert personal not in stored.comment


def test_a_citizen_already_waiting_who_then_signals_danger_moves_to_the_front(
    handoffs: HandoffService, clock: Clock
) -> None:
    assert [_ask(handoffs, who, clock) for who in ("ana", "ben")] == [1, 2]
    clock.advance(seconds=1)
    again = handoffs.ask("web:ben", "socketio", "es", Trigger.ASKED, distress=DistressKind.MEDICAL_EMERGENCY)
    assert again.position == 1 and again.handoff.urgent and again.handoff.distress == "medical_emergency"
    assert again.handoff.events[-1].kind == "escalated"
    assert [h.conversation_id for h in handoffs.waiting(AMINA, "citizen_services")] == ["web:ben", "web:ana"]


def test_a_citizen_who_signals_danger_while_waiting_moves_back_only_those_they_passed(
    handoffs: HandoffService, clock: Clock
) -> None:
    assert [_ask(handoffs, who, clock) for who in ("ana", "ben", "chi")] == [1, 2, 3]
    clock.advance(seconds=1)
    again = handoffs.ask("web:ben", "socketio", "es", Trigger.ASKED, distress=DistressKind.SELF_HARM)
    assert again.position == 1
    assert [(p.handoff.conversation_id, p.position) for p in again.moved] == [("web:ana", 2)]  # chi stays 3
