"""A notice is filed before the conversation is woken, so a failed wake loses nothing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import redis

from bot.handoff.model import Handoff, Trigger
from bot.handoff.notify import HandoffNotifier, citizen_channel
from bot.handoff.relay import CitizenNotice, CitizenOutbox, NoticeKind
from bot.handoff.service import PlaceChange

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


class _Relay:
    def __init__(self, works: bool) -> None:
        self.works = works
        self.woken: list[tuple[str, str]] = []

    def wake(self, conversation_id: str, output_channel: str) -> bool:
        self.woken.append((conversation_id, output_channel))
        return self.works


def _handoff(conversation: str) -> Handoff:
    return Handoff("h_" + conversation, conversation, "twilio", "sw", "health", Trigger.ASKED, NOW)


def test_a_failed_wake_keeps_the_notice_for_the_next_turn(redis_client: redis.Redis[bytes]) -> None:
    relay = _Relay(works=False)
    notifier = HandoffNotifier(redis_client, relay)
    handoff = _handoff("sms:+254700000002")
    assert (
        notifier.tell(handoff, CitizenNotice(NoticeKind.AGENT_REPLY, handoff.handoff_id, text="Sawa"))
        is False
    )
    assert relay.woken == [("sms:+254700000002", "twilio")]
    assert [n.text for n in CitizenOutbox(redis_client).take("sms:+254700000002")] == ["Sawa"]


def test_everyone_still_waiting_hears_their_new_place(redis_client: redis.Redis[bytes]) -> None:
    relay = _Relay(works=True)
    notifier = HandoffNotifier(redis_client, relay, output_channel=lambda h: "africastalking_sms")
    second, third = _handoff("ussd:+254700000003"), _handoff("ussd:+254700000004")
    notifier.tell_places(
        [PlaceChange(second, 1, timedelta(minutes=5)), PlaceChange(third, 2, timedelta(minutes=10))]
    )
    outbox = CitizenOutbox(redis_client)
    assert [(n.position, n.expected_wait_seconds) for n in outbox.take(second.conversation_id)] == [(1, 300)]
    assert [(n.position, n.expected_wait_seconds) for n in outbox.take(third.conversation_id)] == [(2, 600)]
    assert {channel for _, channel in relay.woken} == {"africastalking_sms"}


def test_a_ussd_citizen_is_reached_by_sms_and_a_rest_caller_at_their_next_turn(
    redis_client: redis.Redis[bytes],
) -> None:
    ussd = Handoff("h_u", "ussd:+254700000005", "ussd", "sw", "health", Trigger.ASKED, NOW)
    rest = Handoff("h_r", "rest:someone", "rest", "en", "health", Trigger.ASKED, NOW)
    web = Handoff("h_w", "web:abc", "socketio", "es", "health", Trigger.ASKED, NOW)
    assert [citizen_channel(h) for h in (ussd, rest, web)] == ["africastalking", "", "socketio"]
    relay = _Relay(works=True)
    notifier = HandoffNotifier(redis_client, relay, citizen_channel)
    assert notifier.tell(rest, CitizenNotice(NoticeKind.CLAIMED, "h_r")) is False  # nothing to push to
    assert relay.woken == []
    assert CitizenOutbox(redis_client).waiting("rest:someone")
    assert notifier.tell(ussd, CitizenNotice(NoticeKind.CLAIMED, "h_u")) is True
    assert relay.woken == [("ussd:+254700000005", "africastalking")]
