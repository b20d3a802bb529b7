"""No message left in silence: when Rasa sends nothing back for a citizen's message, say so.

Rasa answers nothing when the action behind a turn failed (the action server restarting, a custom
action raising): its processor logs the error and ends the turn. On the web page a timer says "no
answer yet"; on a messaging channel the citizen would just wait. So the channel adapters hand each
message to :func:`handle_answered`, which watches what Rasa sends back and, when that is nothing,
sends the "something went wrong on our side, try again" text in the conversation's language.

:func:`say_try_again` is that answer, shared with ``rasa_addons.store_failure`` (the same text when
the conversation or lock store is down, before Rasa could run anything).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Dict

from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.i18n.messages import Locale
from bot.identity import hashed
from bot.limits.policy import RATE_LIMITED
from bot.services import Services

logger = logging.getLogger(__name__)

#: Set on a message the assistant leaves unanswered on purpose: a person holds the conversation
#: (``rasa_addons.handoff``), so silence is not a failure to apologise for.
SILENT_ON_PURPOSE = "baraza_held_by_person"


class CountingOutput(OutputChannel):
    """An output channel that counts the messages Rasa sends through it, then passes them on."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> str:  # type: ignore[override]
        """The wrapped channel's name: Rasa picks channel-specific responses by it."""
        return str(self.inner.name())

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        """Count, then send as the wrapped channel would."""
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


async def say_try_again(services: Services, output: OutputChannel, recipient_id: str, language: str) -> None:
    """The try-again text in ``language``, marked with its language and direction (the web page sets
    ``lang`` and ``dir`` from them; USSD words its menu keys in it)."""
    locale = services.locale(language)
    direction = services.catalogues().languages.get(locale.code).direction
    message = {"text": locale.text("temporary_error"), "language": locale.code, "direction": direction}
    await output.send_response(recipient_id, message)  # what every output, wrapped or not, takes


async def conversation_language(agent: Any, sender_id: str) -> str:
    """The conversation's ``language`` slot, or "" (then the default language is used)."""
    try:
        tracker = await agent.tracker_store.retrieve(sender_id)
    except Exception:  # the store is what failed: the default language will do
        logger.exception("could not read the conversation %s", hashed(sender_id))  # ids stay out of logs
        return ""
    return str(tracker.get_slot("language") or "") if tracker is not None else ""


async def handle_answered(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    agent: Any,
    locale: Callable[[str], Locale],
) -> bool:
    """Let Rasa handle ``message``; if it sent nothing back, apologise. Whether Rasa answered."""
    counting = CountingOutput(message.output_channel)
    message.output_channel = counting
    await on_new_message(message)
    metadata = message.metadata or {}
    if counting.sent or metadata.get(RATE_LIMITED) or metadata.get(SILENT_ON_PURPOSE):
        # answered, refused by the rate limits (which tell the citizen once themselves), or a person
        # holds the conversation (their answers come through the relay)
        return True
    language = await conversation_language(agent, message.sender_id) or str(
        (message.metadata or {}).get("language") or ""
    )
    logger.warning("no answer to a %s message; the citizen is asked to try again", message.input_channel)
    apology = locale(language).text("temporary_error")
    await counting.inner.send_text_message(message.sender_id, apology)
    return False
