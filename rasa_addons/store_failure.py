"""The citizen always hears something: a turn the conversation store cannot carry is answered with
the try-again text, on every channel, and what the citizen is shown is what was kept.

Rasa 3.6 left three silences and one quiet loss:

- ``Agent.handle_message`` takes the conversation's lock in the Redis lock store before anything
  runs. With Redis down (or a lock that timed out behind a queue of messages), ``LockError`` or a
  Redis error propagates out of every channel's handler: socket.io drops it, a webhook answers 500,
  and the channels' own "no answer" apology (``bot.channels.answered``) never runs.
- A message waiting for its conversation's lock longer than the lock's lifetime
  (``TICKET_LOCK_LIFETIME``, 60 s) loses its ticket, but keeps waiting: once every waiting ticket
  has expired nobody is served, nobody frees the lock, and every one of them waits for ever (a flood
  on one socket left 948 of 971 messages unanswered). Such a message now gives up with ``LockError``.
- The agent wraps the tracker store in ``FailSafeTrackerStore``, which turns a failed read into an
  empty conversation and a failed save into a save in this process's memory: a "yes" to a
  confirmation would run on an empty tracker, and what was said during an outage would be forgotten
  without a word once Redis is back.

:func:`apply` (called by ``rasa_addons.serve`` before the server starts) changes both, in one place
for every channel (they all call ``agent.handle_message``):

- a message whose lock ticket expired while it waited stops waiting (``LockError``);
- the tracker store raises :class:`ConversationStoreUnavailable` instead of falling back;
- each turn's bot messages are held until the turn's tracker is saved, then sent in order; if the
  lock, the tracker read, the turn or the save fails, the held messages are dropped and the
  try-again text goes out instead, in the conversation's language
  (:meth:`bot.services.Services.conversation_language`: the language this process last saw the
  conversation in, else the channel's ``metadata.language``, else the default). So the citizen is
  never told something that the conversation does not remember; what a turn's action already stored
  (a subscription, a filed concern) is kept by its own store, and is found again when the citizen
  repeats the step after Redis is back.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Iterable, List, Tuple

from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, LockStore
from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from redis.exceptions import RedisError

from bot.channels.answered import say_try_again
from bot.services import shared

logger = logging.getLogger(__name__)

#: Failures of the conversation's stores (logged without a traceback: they are the outage itself).
STORE_ERRORS = (LockError, RedisError, ConnectionError, TimeoutError)

_ORIGINAL_HANDLE_MESSAGE = Agent.handle_message
#: What this wraps: ``Agent.handle_message`` as it was when :func:`apply` ran (Rasa's own, or another
#: add-on's wrapper of it), so that add-ons compose whatever order they are applied in.
_INNER = [_ORIGINAL_HANDLE_MESSAGE]


class ConversationStoreUnavailable(RedisError):
    """The tracker store could not read or save a conversation."""


class StrictTrackerStore(FailSafeTrackerStore):
    """Rasa's fail-safe wrapper without the silent fallback to memory; remembers each language."""

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation, or :class:`ConversationStoreUnavailable`, never an empty stand-in."""
        try:
            tracker = await self._tracker_store.retrieve(sender_id)
        except Exception as error:
            raise ConversationStoreUnavailable(f"could not read a conversation: {error}") from error
        _remember_language(tracker)
        return tracker

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        """All sessions of the conversation, or :class:`ConversationStoreUnavailable`."""
        try:
            return await self._tracker_store.retrieve_full_tracker(sender_id)
        except Exception as error:
            raise ConversationStoreUnavailable(f"could not read a conversation: {error}") from error

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Save, or :class:`ConversationStoreUnavailable` (nothing is kept in memory instead)."""
        try:
            await self._tracker_store.save(tracker)
        except Exception as error:
            raise ConversationStoreUnavailable(f"could not save a conversation: {error}") from error
        _remember_language(tracker)

    async def keys(self) -> Iterable[str]:
        """The conversation ids, or :class:`ConversationStoreUnavailable`."""
        try:
            keys: Iterable[str] = await self._tracker_store.keys()
            return keys
        except Exception as error:
            raise ConversationStoreUnavailable(f"could not list conversations: {error}") from error


async def acquire_lock(
    self: LockStore, conversation_id: str, ticket: int, wait_time_in_seconds: float
) -> TicketLock:
    """``LockStore._acquire_lock`` that gives up once its own ticket has expired, instead of waiting
    for a lock that nobody holds any more and nobody will free."""
    while True:
        lock = self.get_lock(conversation_id)
        if not lock:
            break
        if lock._ticket_for_ticket_number(ticket) is None:  # expired (removed) while waiting
            raise LockError(f"Timed out waiting for the lock of conversation '{conversation_id}'.")
        if not lock.is_locked(ticket):
            return lock
        await asyncio.sleep(wait_time_in_seconds)
        self.update_lock(conversation_id)
    raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")


def _remember_language(tracker: DialogueStateTracker | None) -> None:
    if tracker is not None:
        language = tracker.get_slot("language")
        shared().recent_languages.remember(tracker.sender_id, str(language) if language else "")


class HeldOutput(OutputChannel):
    """Holds a turn's bot messages until :meth:`release`; afterwards passes them straight on."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.held: List[Tuple[str, Dict[str, Any]]] = []
        self.holding = True

    def name(self) -> str:  # type: ignore[override]
        """The wrapped channel's name: Rasa picks channel-specific responses by it."""
        return str(self.inner.name())

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        """Hold during the turn, send after it."""
        if self.holding:
            self.held.append((recipient_id, dict(message)))
        else:
            await self.inner.send_response(recipient_id, message)

    async def release(self) -> None:
        """Send what was held, in order."""
        self.holding = False
        held, self.held = self.held, []
        for recipient_id, message in held:
            await self.inner.send_response(recipient_id, message)

    def drop(self) -> int:
        """Forget what was held (the turn was not kept); how many messages that was."""
        self.holding = False
        dropped, self.held = len(self.held), []
        return dropped


async def handle_message(self: Agent, message: UserMessage) -> List[Dict[str, Any]] | None:
    """``Agent.handle_message`` that answers the try-again text when the turn cannot be kept."""
    inner = message.output_channel
    held = HeldOutput(inner)
    message.output_channel = held
    try:
        result = await _INNER[0](self, message)
    except Exception as error:
        message.output_channel = inner
        dropped = held.drop()
        if isinstance(error, STORE_ERRORS):
            logger.warning(
                "conversation store unavailable (%s) for a %s message; %d held message(s) dropped, "
                "the citizen is asked to try again",
                type(error).__name__,
                message.input_channel,
                dropped,
            )
        else:
            logger.exception("a %s message failed; the citizen is asked to try again", message.input_channel)
        services = shared()
        hint = str((message.metadata or {}).get("language") or "")
        language = services.conversation_language(message.sender_id, hint)
        await say_try_again(services, inner, message.sender_id, language)
        return _collected(inner)
    message.output_channel = inner
    await held.release()
    return _collected(inner) if isinstance(inner, CollectingOutputChannel) else result


def _collected(output: OutputChannel) -> list[dict[str, Any]] | None:
    """What Rasa's own ``handle_message`` returns: a collecting channel's messages."""
    if isinstance(output, CollectingOutputChannel):
        messages: list[dict[str, Any]] = output.messages
        return messages
    return None


def _strict_tracker_store(store: TrackerStore | None, domain: Domain) -> TrackerStore:
    """``Agent._create_tracker_store`` with :class:`StrictTrackerStore` as the wrapper."""
    from rasa.core.tracker_store import InMemoryTrackerStore

    if store is not None:
        store.domain = domain
        return StrictTrackerStore(store)
    return StrictTrackerStore(InMemoryTrackerStore(domain))


def apply() -> None:
    """Install the three changes (idempotent)."""
    LockStore._acquire_lock = acquire_lock  # type: ignore[method-assign]
    if Agent.handle_message is not handle_message:
        _INNER[0] = Agent.handle_message
    Agent.handle_message = handle_message  # type: ignore[method-assign]
    Agent._create_tracker_store = staticmethod(_strict_tracker_store)  # type: ignore[method-assign,assignment]
