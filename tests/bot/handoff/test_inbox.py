"""What an agent's act does beyond the rule: the citizen's notice filed (and their conversation woken),
the citizens still waiting told their new place, the desk's screens told, against a real Redis."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import redis

from bot import redis_keys
from bot.handoff.desks import DeskDirectory, load_desks
from bot.handoff.inbox import Inbox
from bot.handoff.model import EndReason, Status, Trigger
from bot.handoff.notify import HandoffNotifier
from bot.handoff.relay import CitizenOutbox, NoticeKind
from bot.handoff.service import Agent, AlreadyTaken, HandoffService, NotYourDesk
from bot.handoff.store import HandoffStore

TUESDAY_MORNING = datetime(2026, 12, 1, 7, 0, tzinfo=timezone.utc)  # 10:00 in Nairobi
AMINA = Agent("amina", frozenset({"citizen_services"}))
BAKARI = Agent("bakari", frozenset({"citizen_services", "water_desk"}))
WANJIRU = Agent("wanjiru", frozenset({"water_desk"}))


class Clock:
    def __init__(self) -> None:
        self.at = TUESDAY_MORNING

    def __call__(self) -> datetime:
        return self.at


class Relay:
    def __init__(self) -> None:
        self.woken: list[tuple[str, str]] = []

    def wake(self, conversation_id: str, output_channel: str) -> bool:
        self.woken.append((conversation_id, output_channel))
        return True


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def relay() -> Relay:
    return Relay()


@pytest.fixture()
def handoffs(redis_client: redis.Redis[bytes], config_dir: Path, clock: Clock) -> HandoffService:
    desks: DeskDirectory = load_desks(config_dir, {"interior", "health", "disaster", "water"})
    return HandoffService(HandoffStore(redis_client), lambda: desks, clock, timedelta(days=90))


@pytest.fixture()
def inbox(redis_client: redis.Redis[bytes], handoffs: HandoffService, relay: Relay, clock: Clock) -> Inbox:
    return Inbox(handoffs, HandoffNotifier(redis_client, relay), clock)


def _ask(handoffs: HandoffService, clock: Clock, who: str, topic: str | None = None) -> str:
    clock.at += timedelta(seconds=30)
    return handoffs.ask(f"sms:{who}", "twilio", "sw", Trigger.ASKED, topic=topic).handoff.handoff_id


def _kinds(redis_client: redis.Redis[bytes], who: str) -> list[tuple[NoticeKind, int | None]]:
    return [(n.kind, n.position) for n in CitizenOutbox(redis_client).take(f"sms:{who}")]


def test_a_claim_tells_the_citizen_the_others_their_place_and_the_desk(
    inbox: Inbox, handoffs: HandoffService, clock: Clock, relay: Relay, redis_client: redis.Redis[bytes]
) -> None:
    first, _, _ = (_ask(handoffs, clock, who) for who in ("+1", "+2", "+3"))
    listener = redis_client.pubsub()
    listener.subscribe(redis_keys.handoff_live("citizen_services"))
    listener.get_message(timeout=1)  # the subscription's confirmation
    clock.at += timedelta(minutes=2)
    claimed = inbox.claim(AMINA, first)
    assert claimed.status is Status.CLAIMED and inbox.waited_seconds(claimed) == 120 + 60
    assert _kinds(redis_client, "+1") == [(NoticeKind.CLAIMED, None)]
    assert _kinds(redis_client, "+2") == [(NoticeKind.PLACE, 1)]
    assert _kinds(redis_client, "+3") == [(NoticeKind.PLACE, 2)]
    assert relay.woken[0] == ("sms:+1", "twilio")
    message = listener.get_message(timeout=2)
    assert message is not None and json.loads(message["data"]) == {"kind": "claimed", "handoff_id": first}
    with pytest.raises(AlreadyTaken):
        inbox.claim(BAKARI, first)


def test_the_queues_are_the_agents_desks_and_mine_is_what_they_hold(
    inbox: Inbox, handoffs: HandoffService, clock: Clock
) -> None:
    general = _ask(handoffs, clock, "+1")
    water = _ask(handoffs, clock, "+2", topic="water_sanitation")
    assert [h.handoff_id for h in inbox.queues(AMINA).waiting] == [general]
    assert [h.handoff_id for h in inbox.queues(BAKARI).waiting] == [general, water]
    inbox.claim(BAKARI, water)
    mine, theirs = inbox.queues(BAKARI), inbox.queues(WANJIRU)
    assert [h.handoff_id for h in mine.mine] == [water] and theirs.mine == []
    assert [h.handoff_id for h in theirs.held] == [water]
    with pytest.raises(NotYourDesk):
        inbox.queues(AMINA, frozenset({"water_desk"}))
    with pytest.raises(NotYourDesk):
        inbox.read(AMINA, water)
    assert inbox.read(WANJIRU, water)[1] is False and inbox.read(BAKARI, water)[1] is True


def test_only_the_holder_replies_and_the_reply_is_filed_before_the_wake(
    inbox: Inbox, handoffs: HandoffService, clock: Clock, redis_client: redis.Redis[bytes]
) -> None:
    held = _ask(handoffs, clock, "+1")
    inbox.claim(AMINA, held)
    CitizenOutbox(redis_client).take("sms:+1")
    sent = inbox.reply(AMINA, held, "Habari")
    assert sent.woken and [n.text for n in CitizenOutbox(redis_client).take("sms:+1")] == ["Habari"]
    with pytest.raises(NotYourDesk):
        inbox.reply(BAKARI, held, "Mimi pia")


def test_a_transfer_keeps_the_citizens_time_and_both_queues_move(
    inbox: Inbox, handoffs: HandoffService, clock: Clock, redis_client: redis.Redis[bytes]
) -> None:
    water_first = _ask(handoffs, clock, "+1", topic="water_sanitation")
    general = _ask(handoffs, clock, "+2")
    behind = _ask(handoffs, clock, "+3")
    for who in ("+1", "+2", "+3"):
        CitizenOutbox(redis_client).take(f"sms:{who}")
    inbox.claim(AMINA, general)
    CitizenOutbox(redis_client).take("sms:+3")
    with pytest.raises(NotYourDesk):  # a colleague may not move what Amina holds
        inbox.transfer(BAKARI, general, "water_desk", "")
    moved = inbox.transfer(AMINA, general, "water_desk", "Maji machafu")
    assert moved.status is Status.WAITING and moved.desk == "water_desk"
    assert [h.handoff_id for h in inbox.queues(WANJIRU).waiting] == [water_first, general]
    assert _kinds(redis_client, "+2")[-1] == (NoticeKind.TRANSFERRED, 2)
    assert _kinds(redis_client, "+1") == [(NoticeKind.PLACE, 1)]  # still first at the water desk
    # A waiting one moved away: those behind it at the old desk move up.
    inbox.transfer(BAKARI, behind, "water_desk", "")
    assert [h.handoff_id for h in inbox.queues(AMINA).waiting] == []


def test_an_end_tells_the_citizen_the_assistant_is_back(
    inbox: Inbox, handoffs: HandoffService, clock: Clock, redis_client: redis.Redis[bytes]
) -> None:
    held = _ask(handoffs, clock, "+1")
    inbox.claim(AMINA, held)
    with pytest.raises(NotYourDesk):
        inbox.end(BAKARI, held, EndReason.RESOLVED)
    ended = inbox.end(AMINA, held, EndReason.NO_RESPONSE)
    assert ended.status is Status.ENDED and ended.end_reason is EndReason.NO_RESPONSE
    assert _kinds(redis_client, "+1")[-1] == (NoticeKind.ENDED, None)
    assert inbox.queues(AMINA).held == []
