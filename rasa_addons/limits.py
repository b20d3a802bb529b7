"""Limits applied inside the Rasa server before any work is done on a message.

- **Length**: every channel builds a ``UserMessage``; its text is cut to ``max_message_chars`` there,
  before NLU, the policies and the tracker store see it, so a 1 MB message costs what a 1 kB one
  does. The cut is marked in the message's metadata (``baraza_cut``) so the action still tells the
  citizen that only the beginning was read.
- **Rate**: ``Agent.handle_message`` (every channel's way in) first takes a token from the
  conversation's bucket and, on the web chat and the REST channel, from the sender's network
  address's bucket (:mod:`bot.limits`). A refused message is dropped before the lock, the tracker and
  NLU; the citizen is told once per spell, in their language, that they are sending too fast, and the
  answer to a refused message waits :data:`REFUSAL_DELAY_SECONDS` (a tarpit for scripts).
- **Body size**: the server refuses request bodies above :data:`MAX_BODY_BYTES` (413).

The messaging providers' webhooks come from the providers' own servers, so their network address
says nothing of the citizen: they are limited per conversation only.

:func:`apply` is called by ``rasa_addons.serve`` before the server starts; nothing changes on import.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from typing import Any

import rasa.core.run
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from sanic.request import Request

from bot.limits.policy import MESSAGE_CUT, RATE_LIMITED
from bot.services import shared

log = logging.getLogger(__name__)

#: How long a refused message's answer waits: a script sending as fast as it is answered is slowed to
#: this pace instead of keeping the server busy refusing it (nothing is held but a sleeping coroutine).
REFUSAL_DELAY_SECONDS = 0.5
#: Largest request body (a 1 MB message is still read, and cut; Sanic's default is 100 MB).
MAX_BODY_BYTES = 2_000_000
#: Where a citizen's network address means something (browsers and direct clients).
ADDRESSED_PATHS = ("/webhooks/rest/", "/socket.io")

#: The network address of the request being handled (None on provider webhooks).
ADDRESS: contextvars.ContextVar[str | None] = contextvars.ContextVar("baraza_address", default=None)

_ORIGINAL_INIT = UserMessage.__init__
_ORIGINAL_HANDLE = Agent.handle_message
#: What this wraps: ``Agent.handle_message`` as it was when :func:`apply` ran (so that the add-ons
#: compose: the limits outermost, refusing before any lock is taken).
_INNER = [_ORIGINAL_HANDLE]
_ORIGINAL_CONFIGURE = rasa.core.run.configure_app


def cut_message(message: UserMessage, max_chars: int) -> None:
    """Cut ``message``'s text to ``max_chars`` (marking it) if it is longer."""
    text = message.text
    if text and len(text) > max_chars:
        message.text = text[:max_chars]
        message.metadata = {**(message.metadata or {}), MESSAGE_CUT: True}


def _init(self: UserMessage, *args: Any, **kwargs: Any) -> None:
    _ORIGINAL_INIT(self, *args, **kwargs)
    cut_message(self, shared().settings.max_message_chars)


async def _language(agent: Agent, message: UserMessage) -> str:
    """The conversation's language; for a conversation refused from its first message (a flood of
    new ones), the channel's hint (the browser's language on the web chat), else the default."""
    try:
        tracker = await agent.tracker_store.retrieve(message.sender_id)
    except Exception:
        tracker = None
    known = str(tracker.get_slot("language") or "") if tracker else ""
    hint = str((message.metadata or {}).get("language") or "")
    return known or shared().conversation_language(message.sender_id, hint)


async def handle_message(self: Agent, message: UserMessage) -> Any:
    """``Agent.handle_message`` behind the rate limits."""
    guard = shared().guard
    decision = await guard.message(message.sender_id, ADDRESS.get())
    if decision.allowed:
        return await _INNER[0](self, message)
    message.metadata = {**(message.metadata or {}), RATE_LIMITED: True}
    if await guard.first_refusal(message.sender_id):
        locale = shared().locale(await _language(self, message))
        try:
            await message.output_channel.send_text_message(message.sender_id, locale.text("sending_too_fast"))
        except Exception:
            log.warning("could not tell a conversation it sends too fast (%s)", message.input_channel)
    await asyncio.sleep(REFUSAL_DELAY_SECONDS)
    return None


async def _remember_address(request: Request) -> None:
    if request.path.startswith(ADDRESSED_PATHS):
        ADDRESS.set(str(request.remote_addr or request.ip or ""))


def limit_app(app: Sanic) -> Sanic:
    """The Rasa server's Sanic app with its body limit and the address of each request recorded."""
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.config.PROXIES_COUNT = shared().settings.proxies_count  # behind a balancer: its X-Forwarded-For
    app.register_middleware(_remember_address, "request")
    return app


def _configure_app(*args: Any, **kwargs: Any) -> Sanic:
    return limit_app(_ORIGINAL_CONFIGURE(*args, **kwargs))


def apply() -> None:
    """Install the limits (idempotent)."""
    UserMessage.__init__ = _init  # type: ignore[method-assign]
    if Agent.handle_message is not handle_message:
        _INNER[0] = Agent.handle_message
    Agent.handle_message = handle_message  # type: ignore[method-assign]
    rasa.core.run.configure_app = _configure_app
