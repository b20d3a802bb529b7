"""The REST channel, for development and tests only: off unless ``BARAZA_REST_CHANNEL=on``.

``POST /webhooks/rest/webhook {"sender": "...", "message": "..."}`` takes any sender, so it proves
nothing about who is writing. Its conversations are therefore ``rest:<sender>``: whatever sender a
caller names (``ussd:+2547…``, ``+2547…``), it reaches a REST conversation, never a citizen's on
another channel. The caller cannot choose the input channel either (Rasa's connector takes
``input_channel`` from the body, which would make pushes go out by SMS to the named "sender").
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.request import Request

from bot.identity import REST, conversation_id

logger = logging.getLogger(__name__)


class ScopedRestInput(RestInput):
    """Rasa's REST connector with every sender inside the ``rest:`` scope."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        logger.warning(
            "the REST channel is on (BARAZA_REST_CHANNEL): it proves nothing about its senders; "
            "for development and tests only"
        )
        blueprint: Blueprint = super().blueprint(on_new_message)
        return blueprint

    async def _extract_sender(self, req: Request) -> str | None:
        sender = req.json.get("sender") if isinstance(req.json, dict) else None
        return conversation_id(REST, str(sender or "default"))  # Rasa's own default, inside the scope

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()
