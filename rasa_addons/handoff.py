"""A conversation handed to a person, inside the Rasa server: the desk hears the citizen, the assistant
says nothing while a person holds the conversation, STOP and "delete my data" always work, and nothing
the desk filed is lost.

``MessageProcessor.handle_message`` (what every channel's message comes to, inside the conversation's
lock) is wrapped so that, for a conversation with a waiting or held handoff:

- every citizen message is published to the desk's live channel (``citizen_message``: the inbox
  re-reads the conversation from Rasa's tracker), once Rasa has saved it;
- while a person holds it, Rasa logs the message and predicts nothing; the channel is told the
  silence is on purpose (no "try again"), and a channel that must answer each request (USSD, REST)
  says the message was passed on;
- STOP or "delete my data" (any language: the model's intent, after the opt-out keywords) ends the
  handoff (:meth:`bot.handoff.service.HandoffService.leave`), tells the desk and the others waiting
  their new place, and is then handled as at any other time.

Whether a person holds the conversation is read from the handoff store, under the lock, at every such
message, and Rasa's pause is made to agree with it before the turn (paused while held, resumed
otherwise). The claim's own pause (``action_handoff_relay``, run when the claim's notice is said)
comes a moment after the claim is recorded, and waits for this lock: a message arriving in between is
still one the assistant does not answer. A turn that took the lock before the claim was recorded is
answered, and the claim's notice is said after that answer.

And for every conversation: notices the desk filed that could not be pushed (a REST citizen, or the
wake failed) are said before the answer to the citizen's next message.

:func:`apply` is called by ``rasa_addons.serve`` before the server starts; nothing changes on import.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ConversationPaused, ConversationResumed
from rasa.shared.core.trackers import DialogueStateTracker
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

_ORIGINAL_PROCESS = MessageProcessor.handle_message
#: What this wraps: ``MessageProcessor.handle_message`` as it was when :func:`apply` ran.
_INNER = [_ORIGINAL_PROCESS]
#: Background tasks (telling the others waiting their new place), kept until done.
_TASKS: set[asyncio.Task[Any]] = set()


def _state(services: Services, conversation: str) -> tuple[Handoff | None, bool]:
    """The conversation's active handoff, and whether notices wait in its outbox."""
    return services.handoffs.active(conversation), services.handoff_outbox.waiting(conversation)


async def _read(processor: MessageProcessor, message: UserMessage, tracker: DialogueStateTracker) -> str:
    """The message's intent, read once: Rasa logs the message with this reading (``parse_data``)."""
    try:
        parsed = await processor.parse_message(message, tracker)
    except Exception:
        log.warning("could not read a message of a handed-over conversation")
        return ""
    message.parse_data = parsed
    return str((parsed.get("intent") or {}).get("name") or "")


def _leave(services: Services, conversation: str) -> Handoff | None:
    """End the citizen's handoff and tell the desk."""
    left = services.handoffs.leave(conversation)
    if left is not None:
        publish(services.redis, left.desk, left.status.value, left.handoff_id)
    return left


def _tell_places(services: Services, desk: str) -> None:
    """Tell the others waiting at ``desk`` their new place (they wake through Rasa's HTTP API)."""
    services.handoff_notifier.tell_places(services.handoffs.places(desk))


async def _pause_as_held(processor: MessageProcessor, tracker: DialogueStateTracker, held_now: bool) -> None:
    """Make Rasa's pause agree with the store: paused while a person holds the conversation (the claim's
    own pause may not have come yet), resumed otherwise (the citizen left, or was transferred and waits
    again)."""
    if tracker.is_paused() == held_now:
        return
    tracker.update(ConversationPaused() if held_now else ConversationResumed())
    await processor.save_tracker(tracker)


async def _say_outbox(processor: MessageProcessor, message: UserMessage) -> None:
    """Say what the desk filed before this message is answered (on the message's own channel)."""
    action = RasaRelay.ACTION
    prediction = PolicyPrediction.for_action_name(processor.domain, action)
    output = message.output_channel
    await processor.execute_action(message.sender_id, action, output, processor.nlg, prediction)


def _in_background(services: Services, work: Any, *args: Any) -> None:
    task = asyncio.ensure_future(asyncio.to_thread(work, services, *args))
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)


async def handle_message(self: MessageProcessor, message: UserMessage) -> Any:
    """``MessageProcessor.handle_message`` aware of the conversation's handoff (called with the
    conversation's lock held, by ``Agent.handle_message``)."""
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


async def _handle_handed_over(
    self: MessageProcessor, message: UserMessage, services: Services, active: Handoff
) -> Any:
    """A message of a conversation with a waiting or held handoff."""
    conversation = message.sender_id
    holding = active.status is Status.CLAIMED
    tracker = await self.get_tracker(conversation)
    if await _read(self, message, tracker) in ALWAYS_HANDLED:
        try:
            left = await asyncio.to_thread(_leave, services, conversation)
        except RedisError:
            left = None
        if left is not None and left.status is Status.ABANDONED:  # it left a queue: the others move up
            _in_background(services, _tell_places, left.desk)
        holding = False
    await _pause_as_held(self, tracker, holding)
    result = await _INNER[0](self, message)  # while held: logged, nothing predicted (paused)
    if not holding:
        return result
    message.metadata = {**(message.metadata or {}), SILENT_ON_PURPOSE: True}
    if message.input_channel in ANSWERING:
        hint = str((message.metadata or {}).get("language") or "")
        language = services.conversation_language(conversation, hint)
        text = held(services.catalogues(), language, message.input_channel or "")
        # send_response: what every output takes (inside the lock, the channel is wrapped)
        await message.output_channel.send_response(conversation, {"text": text, "language": language})
    return result


def apply() -> None:
    """Install the handoff's door (idempotent)."""
    if MessageProcessor.handle_message is not handle_message:
        _INNER[0] = MessageProcessor.handle_message
    MessageProcessor.handle_message = handle_message  # type: ignore[method-assign]
