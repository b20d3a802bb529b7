"""Facebook Messenger: Rasa's connector, with choices as quick replies and forged requests refused.

Rasa's ``facebook`` connector checks the ``X-Hub-Signature`` of each request (good) but answers a
forged one with 200 "not validated", and sends buttons as a button template, which holds three at most
(Baraza's menus have up to twelve), dropping the rest. This adapter keeps the connector and changes
those two things: a forged request gets 403 (and is logged), and choices go out as quick replies
(up to 13, titles cut to Messenger's 20 characters); longer lists become numbered text.

Rasa's output calls the Graph API through ``fbmessenger``'s synchronous client, which blocks the event
loop for each call: right for a turn's answer, not for a delivery worker sending thousands of alerts.
The worker has its own output instead (:class:`MessengerSendApi`, ``bot/channels/direct.py``): the
same requests, over aiohttp and the worker's kept-alive session.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List

from fbmessenger import DEFAULT_API_VERSION, MessengerClient
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.assistant.choices import numbered_lines
from bot.channels.answered import handle_answered
from bot.channels.http import KeepsSession, ProviderError
from bot.identity import MESSENGER, address_on, conversation_id
from bot.services import shared

logger = logging.getLogger(__name__)
MAX_QUICK_REPLIES = 13
MAX_TITLE = 20
#: fbmessenger's own Graph API address, when no other is configured.
GRAPH_URL = f"https://graph.facebook.com/v{DEFAULT_API_VERSION}"


def _title(text: str) -> str:
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1].rstrip() + "…"


def _quick_replies(buttons: List[Dict[str, Any]]) -> List[Dict[str, str]] | None:
    """Choices as Messenger's quick replies, or None when there are too many for them."""
    if len(buttons) > MAX_QUICK_REPLIES:
        return None
    return [{"title": _title(str(b["title"])), "payload": str(b["payload"])} for b in buttons]


def _as_lines(text: str, buttons: List[Dict[str, Any]]) -> str:
    return "\n".join([text, *numbered_lines([str(b["title"]) for b in buttons])])


class QuickReplyBot(MessengerBot):
    """Messenger output sending choices as quick replies."""

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        replies = _quick_replies(buttons)
        if replies is not None:
            await self.send_quick_replies(recipient_id, text, replies)
            return
        await self.send_text_message(recipient_id, _as_lines(text, buttons))


class MessengerError(ProviderError):
    """The Send API refused a message."""


class MessengerSendApi(KeepsSession, OutputChannel):
    """The Send API over aiohttp, for the delivery worker: what :class:`QuickReplyBot` sends through
    :class:`ScopedMessengerClient` (the same body, ``graph_url`` and page token, ``messenger:<PSID>``
    conversations only: :class:`~bot.identity.ForeignConversation` for any other), and a refusal
    raised (:class:`MessengerError`, with the status) where fbmessenger's client ignores it."""

    @classmethod
    def name(cls) -> str:
        return "facebook"

    def __init__(self, page_access_token: str, graph_url: str = "") -> None:
        self._url = f"{(graph_url or GRAPH_URL).rstrip('/')}/me/messages"
        self._token = page_access_token

    async def send(self, recipient_id: str, message: Dict[str, Any]) -> None:
        """One message to the conversation's PSID."""
        body = {
            "messaging_type": "RESPONSE",
            "notification_type": "REGULAR",
            "recipient": {"id": address_on(recipient_id, MESSENGER)},
            "message": message,
        }
        async with (
            self.provider_session() as session,
            session.post(self._url, params={"access_token": self._token}, json=body) as reply,
        ):
            answer = await reply.text()
        if reply.status >= 300:
            raise MessengerError(f"{reply.status}: {answer[:200]}", reply.status)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        address_on(recipient_id, MESSENGER)  # nothing at all for another channel's conversation
        for part in text.strip().split("\n\n"):  # as Rasa's MessengerBot splits it
            await self.send(recipient_id, {"text": part})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        replies = _quick_replies(buttons)
        if replies is None:
            await self.send_text_message(recipient_id, _as_lines(text, buttons))
            return
        quick = [{"content_type": "text", **reply} for reply in replies]
        await self.send(recipient_id, {"text": text, "quick_replies": quick})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        attachment = {"type": "image", "payload": {"url": image}}
        await self.send(recipient_id, {"attachment": attachment})


class ScopedMessengerClient(MessengerClient):  # type: ignore[misc]
    """The Graph API client, sending to ``messenger:<PSID>`` conversations only (as their PSID)."""

    def send(self, payload: Any, recipient_id: str, *args: Any, **kwargs: Any) -> Any:
        return super().send(payload, address_on(recipient_id, MESSENGER), *args, **kwargs)

    def send_action(self, sender_action: str, recipient_id: str, *args: Any, **kwargs: Any) -> Any:
        return super().send_action(sender_action, address_on(recipient_id, MESSENGER), *args, **kwargs)


def _client(access_token: str, graph_url: str) -> MessengerClient:
    client = ScopedMessengerClient(access_token)
    if graph_url:
        client.graph_url = graph_url.rstrip("/")  # a local stand-in in tests
    return client


class BarazaMessenger(Messenger):
    """Rasa's Messenger handler, answering through :class:`QuickReplyBot`."""

    def __init__(
        self,
        page_access_token: str,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        graph_url: str,
        agent: Any,
    ) -> None:
        super().__init__(page_access_token, on_new_message)
        self.client = _client(page_access_token, graph_url)
        self._agent = agent

    async def _handle_user_message(self, text: str, sender_id: str, metadata: Dict[str, Any] | None) -> None:
        out_channel = QuickReplyBot(self.client)
        conversation = conversation_id(MESSENGER, sender_id)
        message = UserMessage(text, out_channel, conversation, input_channel=self.name(), metadata=metadata)
        try:
            await handle_answered(self.on_new_message, message, self._agent, shared().locale)
        except Exception:
            logger.exception("could not handle a Messenger message")


class MessengerInput(FacebookInput):
    """``/webhooks/facebook/webhook``, with quick replies and 403 for forged requests."""

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        c = credentials or {}
        if not c.get("verify") or not c.get("secret") or not c.get("page-access-token"):
            raise ValueError("facebook needs verify, secret and page-access-token")
        return cls(
            str(c["verify"]), str(c["secret"]), str(c["page-access-token"]), str(c.get("graph_url") or "")
        )

    def __init__(self, fb_verify: str, fb_secret: str, fb_access_token: str, graph_url: str = "") -> None:
        super().__init__(fb_verify, fb_secret, fb_access_token)
        self.graph_url = graph_url

    def get_output_channel(self) -> QuickReplyBot:
        return QuickReplyBot(_client(self.fb_access_token, self.graph_url))

    def worker_output(self) -> MessengerSendApi:
        """The output a delivery worker pushes alerts with (asynchronous, same Graph API)."""
        return MessengerSendApi(self.fb_access_token, self.graph_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("messenger_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def verification(request: Request) -> HTTPResponse:
            if request.args.get("hub.verify_token") == self.fb_verify:
                return response.text(str(request.args.get("hub.challenge") or ""))
            logger.warning("refused a Messenger webhook verification with a wrong verify token")
            return response.text("forbidden", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            signature = str(request.headers.get("X-Hub-Signature") or "")
            if not self.validate_hub_signature(self.fb_secret, request.body, signature):
                logger.warning("refused a Messenger request with a wrong signature")
                return response.text("forbidden", status=403)
            messenger = BarazaMessenger(
                self.fb_access_token, on_new_message, self.graph_url, request.app.ctx.agent
            )
            await messenger.handle(request.json, self.get_metadata(request))
            return response.text("success")

        return webhook
