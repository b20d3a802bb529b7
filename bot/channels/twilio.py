"""SMS and WhatsApp through Twilio, each speaking its own format.

- Inbound: Twilio's form post (``From``, ``To``, ``Body``...) on ``/webhooks/twilio/webhook`` (SMS) or
  ``/webhooks/whatsapp/webhook``. Every request must carry a valid ``X-Twilio-Signature`` (HMAC-SHA1
  of the URL and parameters with the auth token, checked with Twilio's own validator); forged ones
  are refused (403) and logged.
- Outbound: ``POST <api>/2010-04-01/Accounts/<sid>/Messages.json``. SMS: GSM-friendly text in pages
  behind MORE (``sms_pages.py``). WhatsApp: free text inside the 24-hour customer-service window
  (opened by each message the user sends); outside it, only a pre-approved template may start the
  conversation, so alerts and their cancellations go out as the template of their language
  (``config/whatsapp_templates.yml``) with their parameters, and anything else is refused loudly
  (the delivery worker then retries and records the failure) rather than dropped.

Rasa's own ``twilio`` connector checks no signature and knows no window, hence this adapter.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Dict, List

import aiohttp
import redis.asyncio as aioredis
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from redis.exceptions import RedisError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot import redis_keys
from bot.assistant.choices import numbered_lines
from bot.channels.answered import handle_answered
from bot.channels.formatting import strip_markdown
from bot.channels.http import KeepsSession, ProviderError
from bot.channels.sms_pages import SmsPager
from bot.identity import SMS, WHATSAPP, address_on, conversation_id
from bot.services import shared
from bot.yaml_files import read_yaml_mapping

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 24 * 3600
WHATSAPP_MAX_CHARS = 1600  # Twilio's limit for one WhatsApp body


class TwilioError(ProviderError):
    """Twilio refused a message, or it could not be sent as the platform requires."""


class TwilioOutput(KeepsSession, OutputChannel):
    """Sends messages through Twilio's Messages API."""

    channel_name = "twilio"

    @classmethod
    def name(cls) -> str:
        return cls.channel_name

    def __init__(self, account_sid: str, auth_token: str, api_url: str, number: str) -> None:
        self._url = f"{api_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self._auth = aiohttp.BasicAuth(account_sid, auth_token)
        self.number = number

    async def post(self, form: Dict[str, str]) -> None:
        """One message through the Messages API."""
        async with (
            self.provider_session() as session,
            session.post(self._url, data={"From": self.number, **form}, auth=self._auth) as reply,
        ):
            body = await reply.text()
        if reply.status >= 300:
            raise TwilioError(f"{reply.status}: {body[:200]}", reply.status)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        lines = [text, *numbered_lines([str(b["title"]) for b in buttons])]
        await self.send_text_message(recipient_id, "\n".join(lines), **kwargs)


class TwilioSmsOutput(TwilioOutput):
    """SMS: cheap encoding, pages behind MORE."""

    channel_name = "twilio"

    def __init__(
        self, account_sid: str, auth_token: str, api_url: str, number: str, max_segments: int
    ) -> None:
        super().__init__(account_sid, auth_token, api_url, number)
        self.pager = SmsPager(max_segments)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        phone = address_on(recipient_id, SMS)
        page = await self.pager.first_page(recipient_id, text, str(kwargs.get("language") or ""))
        await self.post({"To": phone, "Body": page})


class WhatsAppOutput(TwilioOutput):
    """WhatsApp: free text inside the 24-hour window, approved templates outside it."""

    channel_name = "whatsapp"

    def __init__(self, account_sid: str, auth_token: str, api_url: str, number: str) -> None:
        super().__init__(account_sid, auth_token, api_url, number)
        self._templates: dict[str, Any] | None = None

    def store(self) -> aioredis.Redis[bytes]:
        """Redis, for the windows."""
        return shared().async_redis

    def templates(self) -> dict[str, Any]:
        """``config/whatsapp_templates.yml``."""
        if self._templates is None:
            path = shared().settings.config_dir / "whatsapp_templates.yml"
            self._templates = dict(read_yaml_mapping(path).get("templates") or {})
        return self._templates

    async def window_open(self, address: str) -> bool:
        """Whether the user wrote in the last 24 hours.

        With Redis down, open: the assistant then only answers a message just received (the
        try-again text); deliveries wait in Redis, so none is pushed during the outage.
        """
        try:
            return bool(await self.store().exists(redis_keys.whatsapp_window(address)))
        except RedisError:
            logger.warning("WhatsApp window store unavailable; answering as inside the window")
            return True

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        address = address_on(recipient_id, WHATSAPP)  # "whatsapp:+…", as Twilio wants it
        if await self.window_open(address):
            await self.post({"To": address, "Body": strip_markdown(text)[:WHATSAPP_MAX_CHARS]})
            return
        name = str(kwargs.get("whatsapp_template") or "")
        template = self.templates().get(name)
        if not template:
            raise TwilioError(f"{address} is outside the 24-hour window and this message has no template")
        language = str(kwargs.get("language") or "en")
        sids = template["content_sid"]
        sid = sids.get(language) or next(iter(sids.values()))
        values = kwargs.get("template_values") or {}
        variables = {
            str(n): str(values.get(field, "")) for n, field in enumerate(template["variables"], start=1)
        }
        await self.post({"To": address, "ContentSid": sid, "ContentVariables": json.dumps(variables)})


class _TwilioInput(InputChannel):
    """What Twilio's SMS and WhatsApp webhooks share: signature check, form parsing."""

    channel_name = "twilio"
    #: The conversations of this channel: ``sms:+…`` or ``whatsapp:+…``.
    scope = SMS

    @classmethod
    def name(cls) -> str:
        return cls.channel_name

    def __init__(self, credentials: Dict[str, Any]) -> None:
        self.credentials = credentials
        self._validator = RequestValidator(str(credentials["auth_token"]))
        self._output: TwilioOutput | None = None

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        c = credentials or {}
        if not c.get("account_sid") or not c.get("auth_token") or not c.get("number"):
            raise ValueError(f"{cls.channel_name} needs account_sid, auth_token and number")
        return cls(c)

    def _signed_url(self, request: Request) -> str:
        base = str(self.credentials.get("webhook_base_url") or "")
        if not base:
            return str(request.url)
        query = f"?{request.query_string}" if request.query_string else ""
        return f"{base}{request.path}{query}"

    def _valid(self, request: Request) -> bool:
        params = {key: values[0] for key, values in request.form.items()}
        signature = str(request.headers.get("X-Twilio-Signature", ""))
        return bool(signature) and bool(
            self._validator.validate(self._signed_url(request), params, signature)
        )

    async def _received(self, address: str) -> None:
        """Hook for channels that track something per inbound message."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"{self.channel_name}_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._valid(request):
                logger.warning("refused a %s request with a missing or wrong signature", self.channel_name)
                return response.text("forbidden", status=403)
            sender = str(request.form.get("From") or "")
            text = str(request.form.get("Body") or "")
            if not sender:
                return response.text("missing From", status=400)
            await self._received(sender)
            output = self.get_output_channel()
            conversation = conversation_id(self.scope, sender)
            if isinstance(output, TwilioSmsOutput):
                page = await output.pager.next_page(conversation, text)
                if page is not None:
                    await output.post({"To": sender, "Body": page})
                    return _empty_twiml()
            message = UserMessage(text, output, conversation, input_channel=self.name())
            await handle_answered(on_new_message, message, request.app.ctx.agent, shared().locale)
            return _empty_twiml()

        return webhook


def _empty_twiml() -> HTTPResponse:
    """Twilio expects TwiML; replies go out through the API, so the TwiML says nothing."""
    return response.text("<Response></Response>", content_type="text/xml")


class TwilioSmsInput(_TwilioInput):
    """SMS through Twilio."""

    channel_name = "twilio"

    def get_output_channel(self) -> TwilioSmsOutput:
        if not isinstance(self._output, TwilioSmsOutput):
            c = self.credentials
            self._output = TwilioSmsOutput(
                str(c["account_sid"]),
                str(c["auth_token"]),
                str(c.get("api_url") or "https://api.twilio.com"),
                str(c["number"]),
                int(c.get("max_segments") or 3),
            )
        return self._output


class WhatsAppInput(_TwilioInput):
    """WhatsApp through Twilio."""

    channel_name = "whatsapp"
    scope = WHATSAPP

    def get_output_channel(self) -> WhatsAppOutput:
        if not isinstance(self._output, WhatsAppOutput):
            c = self.credentials
            self._output = WhatsAppOutput(
                str(c["account_sid"]),
                str(c["auth_token"]),
                str(c.get("api_url") or "https://api.twilio.com"),
                str(c["number"]),
            )
        return self._output

    async def _received(self, address: str) -> None:
        """Each message from the user opens (or renews) the 24-hour window."""
        output = self.get_output_channel()
        try:
            await output.store().set(redis_keys.whatsapp_window(address), "1", ex=WINDOW_SECONDS)
        except RedisError:  # Redis down: the message still reaches the assistant (which says so)
            logger.warning("WhatsApp window store unavailable; the 24-hour window was not renewed")
