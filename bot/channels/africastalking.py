"""SMS through Africa's Talking: inbound callback, outbound through the gateway's messaging API.

- Inbound: ``POST /webhooks/africastalking/webhook`` with the gateway's form (``from``, ``to``, ``text``,
  ``id``...). The conversation is ``sms:<phone number>``. Africa's Talking signs nothing, so the
  channel is off until a callback token is set, and every callback must carry it (``?token=``).
- Outbound: ``POST <api>/version1/messaging`` (form ``username``, ``to``, ``message``, ``from``; header
  ``apiKey``). Each message is made as cheap as it can be (``formatting.gsm_friendly``: typographic
  dashes and quotes become their GSM equivalents when that keeps the whole text in GSM-7) and, if longer
  than ``max_segments``, sent in pages ending "MORE"; the citizen's reply MORE (in their language) gets
  the next page without troubling the assistant.
- A USSD citizen answers their handoff by SMS: while their number's ``ussd:`` conversation is in the
  middle of one (waiting, held by a person, or ended with the rating still to come:
  :meth:`bot.handoff.service.HandoffService.in_progress`), an SMS from that number goes to that
  conversation, answered by SMS, so the person and the rating hear it. Only this callback does it (the
  token proves the gateway sent it and the gateway proves the number); a bare opt-out keyword stays in
  ``sms:`` and unsubscribes there as always.

Another SMS gateway is another adapter of the same shape.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from redis.exceptions import RedisError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.assistant.choices import numbered_lines
from bot.assistant.opt_out import OptOutKeywords
from bot.channels.answered import handle_answered
from bot.channels.http import KeepsSession, ProviderError
from bot.channels.sms_pages import SmsPager
from bot.identity import SMS, USSD, address_on, conversation_id
from bot.services import Services, shared

logger = logging.getLogger(__name__)


class SmsGatewayError(ProviderError):
    """The gateway refused a message."""


class AfricasTalkingOutput(KeepsSession, OutputChannel):
    """Sends SMS through Africa's Talking."""

    @classmethod
    def name(cls) -> str:
        return "africastalking"

    def __init__(self, username: str, api_key: str, api_url: str, sender: str, max_segments: int) -> None:
        self._username = username
        self._api_key = api_key
        self._url = f"{api_url.rstrip('/')}/version1/messaging"
        self._sender = sender
        self.pager = SmsPager(max_segments)

    async def post(self, to: str, message: str) -> None:
        """One SMS through the gateway."""
        form = {"username": self._username, "to": to, "message": message}
        if self._sender:
            form["from"] = self._sender
        headers = {"apiKey": self._api_key, "Accept": "application/json"}
        async with (
            self.provider_session() as session,
            session.post(self._url, data=form, headers=headers) as reply,
        ):
            body = await reply.text()
        if reply.status >= 300:
            raise SmsGatewayError(f"{reply.status}: {body[:200]}", reply.status)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        language = str(kwargs.get("language") or "")
        phone = address_on(recipient_id, SMS, USSD)  # a USSD citizen's alerts come by SMS
        await self.post(phone, await self.pager.first_page(recipient_id, text, language))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        lines = [text, *numbered_lines([str(b["title"]) for b in buttons])]
        await self.send_text_message(recipient_id, "\n".join(lines), **kwargs)


def conversation_of(services: Services, opt_out: OptOutKeywords, phone: str, text: str) -> str:
    """The conversation an SMS from ``phone`` belongs to: ``sms:<phone>``, or ``ussd:<phone>`` while
    that conversation is in the middle of a handoff (a bare opt-out keyword always stays in ``sms:``).

    Call only for a message the gateway delivered (the callback token checked): the number is then
    the carrier's, not the caller's choice."""
    sms = conversation_id(SMS, phone)
    if opt_out.matches(text):
        return sms
    ussd = conversation_id(USSD, phone)
    return ussd if services.handoffs.in_progress(ussd) else sms


class AfricasTalkingInput(InputChannel):
    """``POST /webhooks/africastalking/webhook``: an SMS received by the gateway."""

    @classmethod
    def name(cls) -> str:
        return "africastalking"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        c = credentials or {}
        if not c.get("username") or not c.get("api_key") or not c.get("callback_token"):
            raise ValueError("africastalking needs username, api_key and callback_token")
        return cls(
            str(c["username"]),
            str(c["api_key"]),
            str(c.get("api_url") or "https://api.africastalking.com"),
            str(c.get("sender") or ""),
            int(c.get("max_segments") or 3),
            str(c.get("callback_token") or ""),
        )

    def __init__(
        self, username: str, api_key: str, api_url: str, sender: str, max_segments: int, callback_token: str
    ) -> None:
        self.username = username
        self.api_key = api_key
        self.api_url = api_url
        self.sender = sender
        self.max_segments = max_segments
        self.callback_token = callback_token
        self._output: AfricasTalkingOutput | None = None
        self._opt_out: OptOutKeywords | None = None

    def opt_out(self) -> OptOutKeywords:
        """The opt-out words (read from the locales on first use)."""
        if self._opt_out is None:
            self._opt_out = OptOutKeywords.from_config()
        return self._opt_out

    def get_output_channel(self) -> AfricasTalkingOutput:
        if self._output is None:
            self._output = AfricasTalkingOutput(
                self.username, self.api_key, self.api_url, self.sender, self.max_segments
            )
        return self._output

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("africastalking_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.callback_token or not hmac.compare_digest(
                str(request.args.get("token", "")).encode(), self.callback_token.encode()
            ):
                logger.warning("refused an SMS callback without the right token")
                return response.text("forbidden", status=403)
            sender = str(request.form.get("from") or "")
            text = str(request.form.get("text") or "")
            if not sender:
                return response.text("missing from", status=400)
            output = self.get_output_channel()
            try:
                opt_out = self.opt_out()
                conversation = await asyncio.to_thread(conversation_of, shared(), opt_out, sender, text)
            except RedisError:
                conversation = conversation_id(SMS, sender)  # the store-failure answer handles the outage
            page = await output.pager.next_page(conversation, text)
            if page is not None:
                await output.post(sender, page)
                return response.text("ok")
            message = UserMessage(text, output, conversation, input_channel=self.name())
            await handle_answered(on_new_message, message, request.app.ctx.agent, shared().locale)
            return response.text("ok")

        return webhook
