"""A conversation handed to a person, inside the Rasa server: the desk hears the citizen, STOP and
"delete my data" always work, and nothing the desk filed is lost.

``Agent.handle_message`` (every channel's way in) is wrapped so that, for a conversation with a
waiting or held handoff:

- every citizen message is published to the desk's live channel (``citizen_message``: the inbox
  re-reads the conversation from Rasa's tracker), once Rasa has saved it;
- while a person holds it, Rasa logs the message and predicts nothing (the conversation is paused
  by ``action_handoff_relay``); the channel is told the silence is on purpose (no "try again"), and a
  channel that must answer each request (USSD, REST) says the message was passed on;
- STOP or "delete my data" (any language: the model's intent, after the opt-out keywords) ends the
  handoff (:meth:`bot.handoff.service.HandoffService.leave`), tells the desk and the others waiting
  their new place, resumes the conversation and is then handled as at any other time.

And for every conversation: notices the desk filed that could not be pushed (a REST citizen, or the
wake failed) are said before the answer to the citizen's next message.

:func:`apply` is called by ``rasa_addons.serve`` before the server starts; nothing changes on import.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ConversationResumed
from redis.exceptions import RedisError

from bot.assistant.handoff import held
from bot.channels.answered import SILENT_ON_PURPOSE
from bot.handoff.model import Handoff, Status
from bot.handoff.relay import RasaRelay, publish
from bot.identity import hashed
from bot.services import Services, shared

log = logging.getLogger(__name__)

#: Intents that always reach the assistant, even while a person holds the conversation.
ALWAYS_HANDLED = frozenset({"unsubscribe_alerts", "delete_my_data"})
#: Channels that must answer each request themselves (nothing is pushed to them later).
ANSWERING = frozenset({"ussd", "rest", "cmdline"})

_ORIGINAL_HANDLE = Agent.handle_message
#: What this wraps: ``Agent.handle_message`` as it was when :func:`apply` ran.
_INNER = [_ORIGINAL_HANDLE]
#: Background tasks (telling the others waiting their new place), kept until done.
_TASKS: set[asyncio.Task[Any]] = set()


def _state(services: Services, conversation: str) -> tuple[Handoff | None, bool]:
    """The conversation's active handoff, and whether notices wait in its outbox."""
    return services.handoffs.active(conversation), services.handoff_outbox.waiting(conversation)


async def _exits(agent: Agent, message: UserMessage) -> bool:
    """Whether the message is STOP or "delete my data"."""
    try:
        parsed = await agent.parse_message(message.text or "")
    except Exception:
        log.warning("could not read a message of a handed-over conversation")
        return False
    return str((parsed.get("intent") or {}).get("name") or "") in ALWAYS_HANDLED


def _leave(services: Services, conversation: str) -> Handoff | None:
    """End the citizen's handoff and tell the desk."""
    left = services.handoffs.leave(conversation)
    if left is not None:
        publish(services.redis, left.desk, left.status.value, left.handoff_id)
    return left


def _tell_places(services: Services, desk: str) -> None:
    """Tell the others waiting at ``desk`` their new place (they wake through Rasa's HTTP API)."""
    services.handoff_notifier.tell_places(services.handoffs.places(desk))


async def _resume(agent: Agent, conversation: str) -> None:
    """Un-pause the conversation so that this message is answered."""
    async with agent.lock_store.lock(conversation):
        tracker = await agent.processor.get_tracker(conversation)  # type: ignore[union-attr]
        tracker.update(ConversationResumed())
        await agent.processor.save_tracker(tracker)  # type: ignore[union-attr]


async def _say_outbox(agent: Agent, message: UserMessage) -> None:
    """Say what the desk filed before this message is answered (on the message's own channel)."""
    async with agent.lock_store.lock(message.sender_id):
        await agent.execute_action(message.sender_id, RasaRelay.ACTION, message.output_channel, None, None)


def _in_background(services: Services, work: Any, *args: Any) -> None:
    task = asyncio.ensure_future(asyncio.to_thread(work, services, *args))
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)


async def handle_message(self: Agent, message: UserMessage) -> Any:
    """``Agent.handle_message`` aware of the conversation's handoff."""
    services = shared()
    conversation = message.sender_id
    try:
        active, pending = await asyncio.to_thread(_state, services, conversation)
    except RedisError:
        return await _INNER[0](self, message)  # the store-failure answer handles the outage
    if pending:
        try:
            await _say_outbox(self, message)
        except Exception:
            log.warning("could not say the desk's notices of a conversation %s", hashed(conversation))
    if active is None:
        return await _INNER[0](self, message)
    try:
        return await _handle_handed_over(self, message, services, active)
    finally:
        # After Rasa saved the message: the inbox re-reads the conversation when told.
        publish(services.redis, active.desk, "citizen_message", active.handoff_id)


async def _handle_handed_over(self: Agent, message: UserMessage, services: Services, active: Handoff) -> Any:
    """A message of a conversation with a waiting or held handoff."""
    conversation = message.sender_id
    if await _exits(self, message):
        try:
            left = await asyncio.to_thread(_leave, services, conversation)
        except RedisError:
            left = None
        if left is not None and active.status is Status.WAITING:
            _in_background(services, _tell_places, left.desk)
        if active.status is Status.CLAIMED:
            await _resume(self, conversation)
        return await _INNER[0](self, message)
    if active.status is not Status.CLAIMED:
        return await _INNER[0](self, message)  # waiting: the assistant still answers
    result = await _INNER[0](self, message)
    message.metadata = {**(message.metadata or {}), SILENT_ON_PURPOSE: True}
    if message.input_channel in ANSWERING:
        hint = str((message.metadata or {}).get("language") or "")
        language = services.conversation_language(conversation, hint)
        text = held(services.catalogues(), language, message.input_channel or "")
        await message.output_channel.send_text_message(conversation, text, language=language)
    return result


def apply() -> None:
    """Install the handoff's door (idempotent)."""
    if Agent.handle_message is not handle_message:
        _INNER[0] = Agent.handle_message
    Agent.handle_message = handle_message  # type: ignore[method-assign]
