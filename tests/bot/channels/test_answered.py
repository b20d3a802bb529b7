from __future__ import annotations

import asyncio
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.catalogue.bundle import Catalogues
from bot.channels.answered import CountingOutput, handle_answered
from bot.limits.policy import RATE_LIMITED
from bot.services import Services
from bot.settings import load_settings


class Tracker:
    def __init__(self, language: str | None) -> None:
        self.language = language

    def get_slot(self, name: str) -> Any:
        return self.language if name == "language" else None


class Store:
    def __init__(self, tracker: Tracker | None = None, fails: bool = False) -> None:
        self.tracker, self.fails = tracker, fails

    async def retrieve(self, sender_id: str) -> Tracker | None:
        if self.fails:
            raise ConnectionError("redis went away")
        return self.tracker


class Agent:
    def __init__(self, store: Store) -> None:
        self.tracker_store = store


async def _silent(message: UserMessage) -> None:
    return None  # the action behind the turn failed: Rasa sends nothing


async def _answers(message: UserMessage) -> None:
    await message.output_channel.send_response(message.sender_id, {"text": "Karibu!"})


def _run(handler: Any, store: Store, metadata: dict[str, str] | None = None) -> tuple[bool, list[Any]]:
    output = CollectingOutputChannel()
    message = UserMessage("habari", output, "telegram-42", input_channel="telegram", metadata=metadata)
    answered = asyncio.run(
        handle_answered(handler, message, Agent(store), Services(load_settings({})).locale)
    )
    return answered, output.messages


def test_an_answered_message_gets_nothing_more() -> None:
    answered, messages = _run(_answers, Store(Tracker("sw")))
    assert answered and [m["text"] for m in messages] == ["Karibu!"]


async def _rate_limited(message: UserMessage) -> None:
    message.metadata = {**(message.metadata or {}), RATE_LIMITED: True}  # as rasa_addons/limits.py does


def test_a_message_refused_by_the_rate_limits_gets_no_apology() -> None:
    """The limits told the citizen once; an apology per refused SMS would undo the limit (and cost)."""
    answered, messages = _run(_rate_limited, Store(Tracker("sw")))
    assert answered and messages == []


def test_silence_gets_the_apology_in_the_conversations_language(catalogues: Catalogues) -> None:
    answered, messages = _run(_silent, Store(Tracker("sw")))
    assert not answered
    assert [m["text"] for m in messages] == [catalogues.locales["sw"].text("temporary_error")]


def test_without_a_conversation_the_channels_hint_then_the_default_language(catalogues: Catalogues) -> None:
    _, messages = _run(_silent, Store(None), {"language": "ar"})
    assert messages[0]["text"] == catalogues.locales["ar"].text("temporary_error")
    _, messages = _run(_silent, Store(fails=True))
    default = catalogues.languages.default
    assert messages[0]["text"] == catalogues.locales[default].text("temporary_error")


def test_the_counting_channel_keeps_the_wrapped_channels_name() -> None:
    """Rasa chooses channel-specific responses by the output channel's name."""
    inner = CollectingOutputChannel()
    counting = CountingOutput(inner)
    assert counting.name() == inner.name()
    asyncio.run(counting.send_response("x", {"text": "one"}))
    asyncio.run(counting.send_response("x", {"text": "two"}))
    assert counting.sent == 2 and len(inner.messages) == 2
