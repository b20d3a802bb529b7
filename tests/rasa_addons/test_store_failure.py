"""A turn the conversation store cannot carry is answered with the try-again text, in the
conversation's language, and the citizen never sees an answer the conversation did not keep.

Real Rasa agents, lock stores and tracker stores over the test Redis, or over a port where no Redis
answers (an outage); the processor is a small stand-in for the trained model (the end-to-end test,
tests/e2e/test_store_failure.py, runs the real one).
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any
from urllib.parse import urlparse

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, RedisTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.catalogue.bundle import Catalogues
from bot.channels.answered import handle_answered
from bot.services import Services, use
from rasa_addons import store_failure
from tests.conftest import TEST_REDIS_URL

DOMAIN = Domain.from_yaml("slots:\n  language:\n    type: text\n    mappings: [{type: custom}]\n")
ORIGINAL_HANDLE = Agent.handle_message
ORIGINAL_CREATE = Agent.__dict__["_create_tracker_store"]
ORIGINAL_ACQUIRE = LockStore._acquire_lock


@pytest.fixture()
def applied(monkeypatch: pytest.MonkeyPatch, services: Services) -> Services:
    """The hook installed for one test (the originals come back after it), over the test services."""
    monkeypatch.setattr(Agent, "handle_message", ORIGINAL_HANDLE)
    monkeypatch.setattr(Agent, "_create_tracker_store", ORIGINAL_CREATE)
    monkeypatch.setattr(LockStore, "_acquire_lock", ORIGINAL_ACQUIRE)
    store_failure.apply()
    store_failure.apply()  # idempotent
    use(services)
    yield services
    use(None)


def _dead_port() -> int:
    """A port where nothing listens: Redis is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _redis_stores(port: int | None = None) -> tuple[RedisTrackerStore, RedisLockStore]:
    url = urlparse(TEST_REDIS_URL)
    host, db = url.hostname or "127.0.0.1", int((url.path or "/0").strip("/") or 0)
    port = port or url.port or 6379
    tracker_store = RedisTrackerStore(DOMAIN, host=host, port=port, db=db, key_prefix="test")
    return tracker_store, RedisLockStore(host=host, port=port, db=db, key_prefix="test", socket_timeout=2)


class Processor:
    """What Rasa's processor does with a turn: read the conversation, answer, save it."""

    def __init__(self, agent: Agent, replies: list[str], language: str | None = None) -> None:
        self.agent, self.replies, self.language = agent, replies, language

    async def handle_message(self, message: UserMessage) -> None:
        tracker = await self.agent.tracker_store.get_or_create_tracker(message.sender_id)
        if self.language:
            tracker.update(SlotSet("language", self.language))
        for reply in self.replies:
            await message.output_channel.send_response(message.sender_id, {"text": reply, "language": "xx"})
        await self.agent.tracker_store.save(tracker)


def _agent(
    tracker_store: Any, lock_store: LockStore, replies: list[str], language: str | None = None
) -> Agent:
    agent = Agent(domain=DOMAIN, tracker_store=tracker_store, lock_store=lock_store)
    agent.processor = Processor(agent, replies, language)  # type: ignore[assignment]
    return agent


class Recorder(OutputChannel):
    """A channel that keeps what it sends, with the language and direction it is marked with."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.sent.append({"text": text, **kwargs})


def _say(agent: Agent, sender: str, output: OutputChannel, metadata: dict[str, Any] | None = None) -> Any:
    message = UserMessage("ndiyo", output, sender, input_channel=output.name(), metadata=metadata)
    return asyncio.run(agent.handle_message(message))


def test_the_agent_no_longer_falls_back_to_an_empty_conversation(applied: Services) -> None:
    agent = _agent(InMemoryTrackerStore(DOMAIN), InMemoryLockStore(), [])
    assert isinstance(agent.tracker_store, store_failure.StrictTrackerStore)
    dead, _ = _redis_stores(_dead_port())
    with pytest.raises(store_failure.ConversationStoreUnavailable):
        asyncio.run(store_failure.StrictTrackerStore(dead).retrieve("c-1"))
    assert asyncio.run(FailSafeTrackerStore(dead).retrieve("c-1")) is None  # Rasa's: an empty stand-in


def test_redis_down_answers_try_again_in_the_language_the_conversation_was_in(
    applied: Services, catalogues: Catalogues
) -> None:
    tracker_store, lock_store = _redis_stores()
    answered = Recorder()
    _say(_agent(tracker_store, lock_store, ["Karibu!"], language="ar"), "c-ar", answered)
    assert [m["text"] for m in answered.sent] == ["Karibu!"]  # a normal turn, its language seen

    outage = Recorder()
    _say(_agent(*_redis_stores(_dead_port()), ["never sent"]), "c-ar", outage, {"language": "en"})
    assert outage.sent == [
        {"text": catalogues.locales["ar"].text("temporary_error"), "language": "ar", "direction": "rtl"}
    ]


def test_without_a_remembered_language_the_channels_hint_then_the_default(
    applied: Services, catalogues: Catalogues
) -> None:
    agent = _agent(*_redis_stores(_dead_port()), [])
    hinted, unhinted = Recorder(), Recorder()
    _say(agent, "c-new", hinted, {"language": "fr-SN"})  # e.g. Telegram's language_code
    _say(agent, "c-new-2", unhinted)
    assert hinted.sent[0]["text"] == catalogues.locales["fr"].text("temporary_error")
    default = catalogues.languages.default
    assert unhinted.sent[0]["text"] == catalogues.locales[default].text("temporary_error")


class FailingSave(InMemoryTrackerStore):
    """Redis goes away between the turn's answer and its save."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        raise RedisConnectionError("Connection refused")


def test_an_answer_whose_turn_was_not_saved_is_never_shown(applied: Services, catalogues: Catalogues) -> None:
    store = FailingSave(DOMAIN)
    ongoing = DialogueStateTracker.from_events("c-sw", [SlotSet("language", "sw")], slots=DOMAIN.slots)
    asyncio.run(InMemoryTrackerStore.save(store, ongoing))  # the conversation so far, in Swahili
    rest = CollectingOutputChannel()
    returned = _say(_agent(store, InMemoryLockStore(), ["You are subscribed."]), "c-sw", rest)
    assert [m["text"] for m in rest.messages] == [catalogues.locales["sw"].text("temporary_error")]
    assert returned == rest.messages  # what Rasa's REST channel answers


class ShortTickets(InMemoryLockStore):
    """Tickets that expire at once, so that a message queued behind a long turn times out."""

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = 0) -> int:
        return super().issue_ticket(conversation_id, 0.05)


def test_a_message_whose_lock_timed_out_gets_the_try_again_text(
    applied: Services, catalogues: Catalogues
) -> None:
    locks = ShortTickets()
    holder = InMemoryLockStore.issue_ticket(locks, "c-busy", 30)  # a long turn holds the conversation
    applied.recent_languages.remember("c-busy", "pt")
    queued = Recorder()

    async def scenario() -> None:
        agent = _agent(InMemoryTrackerStore(DOMAIN), locks, ["too late"])
        waiting = asyncio.create_task(
            agent.handle_message(UserMessage("olá", queued, "c-busy", input_channel="telegram"))
        )
        await asyncio.sleep(1.5)  # the queued ticket expired meanwhile; then the long turn ends
        locks.cleanup("c-busy", holder)
        await asyncio.wait_for(waiting, 5)

    asyncio.run(scenario())
    assert [m["text"] for m in queued.sent] == [catalogues.locales["pt"].text("temporary_error")]


def _flood_behind_a_short_turn(locks: LockStore, agent: Agent, output: OutputChannel) -> None:
    """Two messages at once; the first turn ends before the second's ticket expires, the second's
    ticket expires before its next look at the lock: Rasa's ticket lock is then held by nobody."""

    async def scenario() -> None:
        first = locks.issue_ticket("c-flood")
        waiting = asyncio.create_task(
            agent.handle_message(UserMessage("olá", output, "c-flood", input_channel="telegram"))
        )
        await asyncio.sleep(0.01)
        locks.cleanup("c-flood", first)  # the first turn is over; the second is still asleep
        await asyncio.wait_for(waiting, 5)

    asyncio.run(scenario())


def test_a_message_whose_ticket_expired_while_waiting_does_not_wait_for_ever(
    applied: Services, catalogues: Catalogues, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied.recent_languages.remember("c-flood", "pt")
    output = Recorder()
    locks = ShortTickets()
    _flood_behind_a_short_turn(locks, _agent(InMemoryTrackerStore(DOMAIN), locks, []), output)
    assert [m["text"] for m in output.sent] == [catalogues.locales["pt"].text("temporary_error")]

    monkeypatch.setattr(LockStore, "_acquire_lock", ORIGINAL_ACQUIRE)  # Rasa's own: waits for ever
    locks = ShortTickets()
    with pytest.raises(asyncio.TimeoutError):
        _flood_behind_a_short_turn(locks, _agent(InMemoryTrackerStore(DOMAIN), locks, []), Recorder())


def test_a_kept_turn_is_answered_as_before_in_order_and_as_its_channel(applied: Services) -> None:
    output = Recorder()
    agent = _agent(InMemoryTrackerStore(DOMAIN), InMemoryLockStore(), ["one", "two", "three"], "sw")
    held: list[str] = []

    class Spy(Processor):
        async def handle_message(self, message: UserMessage) -> None:
            held.append(message.output_channel.name())  # channel-specific responses still apply
            await super().handle_message(message)
            held.append(str(len(output.sent)))  # nothing sent before the save

    agent.processor = Spy(agent, ["one", "two", "three"], "sw")  # type: ignore[assignment]
    assert _say(agent, "c-ok", output) is None
    assert [m["text"] for m in output.sent] == ["one", "two", "three"]
    assert held == ["telegram", "0"]
    assert applied.recent_languages.recall("c-ok") == "sw"


def test_through_a_messaging_channel_the_citizen_hears_it_once(
    applied: Services, catalogues: Catalogues
) -> None:
    """The messaging channels wrap their output to apologise for a silent turn: with the store down,
    the try-again text goes through that wrapper, once (not an apology on top of it)."""
    agent = _agent(*_redis_stores(_dead_port()), [])
    applied.recent_languages.remember("c-tg", "es")
    telegram = Recorder()
    message = UserMessage("sí", telegram, "c-tg", input_channel="telegram", metadata={"language": "en"})

    async def handler(received: UserMessage) -> None:
        await agent.handle_message(received)

    answered = asyncio.run(handle_answered(handler, message, agent, applied.locale))
    assert answered  # the hook's answer counts as an answer
    assert [m["text"] for m in telegram.sent] == [catalogues.locales["es"].text("temporary_error")]
