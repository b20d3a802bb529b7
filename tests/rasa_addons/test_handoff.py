"""The handoff's door inside the Rasa server, over the real test Redis: the desk hears every message,
a held conversation is silent on purpose (a USSD citizen is told their words were passed on) even in
the instant between the claim and the relay's pause, STOP ends the handoff and resumes the
conversation, and what the desk filed is said before the next answer.

The processor is a stand-in for the trained model's (its NLU answers what the test says the intent
is, and it answers unless the conversation is paused, as Rasa's does); the end-to-end test
(tests/e2e/test_handoff.py) runs the real one.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ConversationPaused, ConversationResumed
from rasa.shared.core.trackers import DialogueStateTracker

from bot.catalogue.bundle import Catalogues
from bot.channels.answered import SILENT_ON_PURPOSE
from bot.handoff.model import Status, Trigger
from bot.handoff.notify import HandoffNotifier, citizen_channel
from bot.handoff.relay import CitizenNotice, NoticeKind, RasaRelay
from bot.handoff.service import Agent as Person
from bot.services import Services, use
from rasa_addons import handoff

TUESDAY_MORNING = datetime(2026, 12, 1, 7, 0, tzinfo=timezone.utc)
AMINA = Person("amina", frozenset({"citizen_services"}))


class StandIn:
    """What the door uses of Rasa's message processor: NLU, the trackers, the execute route."""

    def __init__(self, intent: str) -> None:
        self.intent = intent
        self.trackers: dict[str, DialogueStateTracker] = {}
        self.handled: list[str] = []
        self.executed: list[str] = []
        self.parsed = 0
        self.domain = Domain.from_dict({"actions": [RasaRelay.ACTION]})
        self.nlg = None

    async def parse_message(
        self, message: UserMessage, tracker: DialogueStateTracker | None = None
    ) -> dict[str, Any]:
        self.parsed += 1
        return {"text": message.text, "intent": {"name": self.intent}}

    async def get_tracker(self, conversation: str) -> DialogueStateTracker:
        return self.trackers.setdefault(conversation, DialogueStateTracker(conversation, []))

    async def save_tracker(self, tracker: DialogueStateTracker) -> None:
        self.trackers[tracker.sender_id] = tracker

    async def execute_action(self, sender: str, action: str, output: OutputChannel, *_: Any) -> None:
        self.executed.append(action)


class Asleep:
    def wake(self, conversation_id: str, output_channel: str) -> bool:
        return False


async def _rasa(processor: StandIn, message: UserMessage) -> Any:
    """Rasa's own turn: the message is read (unless already), logged, and answered unless the
    conversation is paused."""
    if not message.parse_data:
        await processor.parse_message(message)
    processor.handled.append(message.text or "")
    tracker = await processor.get_tracker(message.sender_id)
    if not tracker.is_paused():
        await message.output_channel.send_text_message(message.sender_id, "the assistant's answer")
    return None


@pytest.fixture()
def door(monkeypatch: pytest.MonkeyPatch, services: Services) -> Iterator[Services]:
    monkeypatch.setattr(MessageProcessor, "handle_message", MessageProcessor.handle_message)
    monkeypatch.setattr(handoff, "_INNER", [_rasa])
    services._clock = lambda: TUESDAY_MORNING
    # no Rasa server to wake here: the notices stay in the outbox (and are said at the next turn)
    services.__dict__["handoff_notifier"] = HandoffNotifier(services.redis, Asleep(), citizen_channel)
    use(services)
    yield services
    use(None)


def _say(processor: StandIn, conversation: str, text: str, channel: str = "socketio") -> UserMessage:
    message = UserMessage(text, CollectingOutputChannel(), conversation, input_channel=channel)

    async def turn() -> None:
        await handoff.handle_message(processor, message)  # type: ignore[arg-type]
        await asyncio.gather(*handoff._TASKS)  # the server's loop runs on; this one ends here

    asyncio.run(turn())
    return message


def _paused(processor: StandIn, conversation: str) -> bool:
    return bool(asyncio.run(processor.get_tracker(conversation)).is_paused())


def _held(services: Services, conversation: str, channel: str) -> str:
    ticket = services.handoffs.ask(conversation, channel, "en", Trigger.ASKED)
    services.handoffs.claim(AMINA, ticket.handoff.handoff_id)
    return ticket.handoff.handoff_id


def test_a_held_conversation_is_silent_on_purpose_and_the_desk_hears_each_message(door: Services) -> None:
    handoff_id = _held(door, "web:ana", "socketio")
    agent = StandIn("greet")
    asyncio.run(agent.get_tracker("web:ana")).update(ConversationPaused())
    listener = door.redis.pubsub()
    listener.subscribe("baraza:handoff:live:citizen_services")
    listener.get_message(timeout=1)
    message = _say(agent, "web:ana", "are you there?")
    assert agent.handled == ["are you there?"]  # logged in the conversation (Rasa predicts nothing)
    assert agent.parsed == 1  # read once: the door's reading is the one Rasa logs
    assert message.output_channel.messages == []  # type: ignore[attr-defined]
    assert (message.metadata or {}).get(SILENT_ON_PURPOSE)
    event = listener.get_message(timeout=2)
    assert event is not None
    assert json.loads(event["data"]) == {"kind": "citizen_message", "handoff_id": handoff_id}


def test_a_message_in_the_instant_after_a_claim_is_not_answered_by_the_assistant(door: Services) -> None:
    """The claim is recorded; its notice (and with it the relay's pause) has not come yet: the door
    reads the store, pauses the conversation itself, and the assistant says nothing."""
    handoff_id = _held(door, "web:ana", "socketio")
    agent = StandIn("service_fee")
    assert not _paused(agent, "web:ana")  # the relay has not run
    listener = door.redis.pubsub()
    listener.subscribe("baraza:handoff:live:citizen_services")
    listener.get_message(timeout=1)
    message = _say(agent, "web:ana", "how much is a passport?")
    assert agent.handled == ["how much is a passport?"]
    assert message.output_channel.messages == []  # type: ignore[attr-defined]
    assert (message.metadata or {}).get(SILENT_ON_PURPOSE)
    assert _paused(agent, "web:ana")
    event = listener.get_message(timeout=2)
    assert event is not None
    assert json.loads(event["data"]) == {"kind": "citizen_message", "handoff_id": handoff_id}


def test_a_conversation_transferred_back_to_a_queue_is_answered_while_it_waits(door: Services) -> None:
    """Paused while held, then transferred: waiting again, the assistant answers as for any waiting
    citizen (and the channel does not take its silence for a failure)."""
    handoff_id = _held(door, "web:ana", "socketio")
    door.handoffs.transfer(AMINA, handoff_id, "health_line", "about a clinic")
    agent = StandIn("service_fee")
    asyncio.run(agent.get_tracker("web:ana")).update(ConversationPaused())
    message = _say(agent, "web:ana", "how much is a passport?")
    assert [m["text"] for m in message.output_channel.messages] == ["the assistant's answer"]  # type: ignore[attr-defined]
    assert not _paused(agent, "web:ana")


def test_a_ussd_citizen_held_is_told_their_message_was_passed_on(
    door: Services, catalogues: Catalogues
) -> None:
    _held(door, "ussd:+254700000001", "ussd")
    agent = StandIn("inform")
    asyncio.run(agent.get_tracker("ussd:+254700000001")).update(ConversationPaused())
    message = _say(agent, "ussd:+254700000001", "ok", channel="ussd")
    texts = [m["text"] for m in message.output_channel.messages]  # type: ignore[attr-defined]
    assert texts == [catalogues.locales["en"].text("handoff_held_sms")]


@pytest.mark.parametrize("intent", ["unsubscribe_alerts", "delete_my_data"])
def test_stop_or_delete_ends_a_held_handoff_and_is_answered(door: Services, intent: str) -> None:
    handoff_id = _held(door, "web:ana", "socketio")
    agent = StandIn(intent)
    tracker = asyncio.run(agent.get_tracker("web:ana"))
    tracker.update(ConversationPaused())
    message = _say(agent, "web:ana", "STOP")
    assert door.handoffs.active("web:ana") is None
    ended = door.handoffs._store.get(handoff_id)
    assert ended is not None and ended.status is Status.ENDED and ended.events[-1].actor == "citizen"
    assert isinstance(agent.trackers["web:ana"].events[-1], ConversationResumed)
    texts = [m["text"] for m in message.output_channel.messages]  # type: ignore[attr-defined]
    assert texts == ["the assistant's answer"]


def test_stop_while_waiting_leaves_the_queue_and_the_next_moves_up(door: Services) -> None:
    first = door.handoffs.ask("web:ana", "socketio", "en", Trigger.ASKED)
    door._clock = lambda: TUESDAY_MORNING + timedelta(seconds=1)
    second = door.handoffs.ask("web:ben", "socketio", "en", Trigger.ASKED)
    assert second.position == 2
    _say(StandIn("unsubscribe_alerts"), "web:ana", "stop")
    left = door.handoffs._store.get(first.handoff.handoff_id)
    assert left is not None and left.status is Status.ABANDONED
    deadline = time.monotonic() + 10
    while not door.handoff_outbox.waiting("web:ben") and time.monotonic() < deadline:
        time.sleep(0.05)
    [moved] = door.handoff_outbox.take("web:ben")
    assert moved.kind is NoticeKind.PLACE and moved.position == 1


def test_while_waiting_the_assistant_still_answers(door: Services) -> None:
    door.handoffs.ask("web:ana", "socketio", "en", Trigger.ASKED)
    agent = StandIn("service_fee")
    message = _say(agent, "web:ana", "how much is a passport?")
    assert [m["text"] for m in message.output_channel.messages] == ["the assistant's answer"]  # type: ignore[attr-defined]
    assert not (message.metadata or {}).get(SILENT_ON_PURPOSE)


def test_notices_not_yet_said_are_said_before_the_next_answer(door: Services) -> None:
    ticket = door.handoffs.ask("rest:ana", "rest", "en", Trigger.ASKED)
    door.handoff_outbox.put(
        "rest:ana", CitizenNotice(NoticeKind.PLACE, ticket.handoff.handoff_id, position=1)
    )
    agent = StandIn("greet")
    _say(agent, "rest:ana", "hello", channel="rest")
    assert agent.executed == ["action_handoff_relay"]
    assert agent.handled == ["hello"]


def test_a_conversation_without_a_handoff_goes_straight_through(door: Services) -> None:
    agent = StandIn("greet")
    _say(agent, "web:nobody", "hello")
    assert agent.handled == ["hello"] and agent.executed == []


@pytest.mark.parametrize("held", [True, False])
def test_the_desk_hears_of_a_message_once_it_is_in_the_conversation(
    door: Services, monkeypatch: pytest.MonkeyPatch, held: bool
) -> None:
    """The inbox re-reads the conversation when told: told before Rasa saved the message, it would
    show the conversation without it (and announce nothing)."""
    if held:
        _held(door, "web:ana", "socketio")
    else:
        door.handoffs.ask("web:ana", "socketio", "en", Trigger.ASKED)
    order: list[str] = []

    async def inner(agent: StandIn, message: UserMessage) -> Any:
        order.append("saved")
        return None

    monkeypatch.setattr(handoff, "_INNER", [inner])
    monkeypatch.setattr(handoff, "publish", lambda client, desk, kind, handoff_id: order.append(kind))
    _say(StandIn("greet"), "web:ana", "are you there?")
    assert order == ["saved", "citizen_message"]
