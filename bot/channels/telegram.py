"""Telegram: a webhook channel that checks Telegram's secret token and knows the user's language.

Why not Rasa's built-in ``telegram`` connector: it does not check that an update comes from Telegram
(it compares the bot's own username, with one API call per message), it sets the webhook while
creating an output channel (which fails inside the running server, i.e. for every pushed alert),
and it drops the sender's ``language_code``. This one:

- refuses any update without the secret token Telegram sends in ``X-Telegram-Bot-Api-Secret-Token``
  (set with ``python -m bot.channels.telegram set-webhook <public url>``), and logs it;
- passes ``from.language_code`` as ``metadata.language``: the conversation's starting language;
- sends buttons as an inline keyboard (one button per row, readable on a phone), and answers the
  button press so the client stops its spinner;
- keeps payloads over Telegram's 64-byte ``callback_data`` limit in Redis under a short digest.

The Bot API address is configurable so tests run against a local stand-in.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import sys
from typing import Any, Awaitable, Callable, Dict, List

import aiohttp
import redis.asyncio as aioredis
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from redis.exceptions import RedisError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import redis_keys
from bot.channels.answered import handle_answered
from bot.channels.formatting import strip_markdown
from bot.channels.http import KeepsSession, ProviderError
from bot.identity import TELEGRAM, address_on, conversation_id
from bot.services import shared

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
MAX_CALLBACK_BYTES = 64
MAX_MESSAGE_CHARS = 4096
PAYLOAD_DAYS = 30


class TelegramApiError(ProviderError):
    """The Bot API refused a call."""


class TelegramOutput(KeepsSession, OutputChannel):
    """Sends messages through the Telegram Bot API."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, token: str, api_url: str, redis_url: str = "") -> None:
        self._base = f"{api_url.rstrip('/')}/bot{token}"
        self._redis_url = redis_url
        self._redis: aioredis.Redis[bytes] | None = None

    async def call(self, method: str, payload: Dict[str, Any]) -> Any:
        """One Bot API call; :class:`TelegramApiError` when Telegram answers ``ok: false``."""
        async with (
            self.provider_session() as session,
            session.post(f"{self._base}/{method}", json=payload) as reply,
        ):
            body = await reply.json(content_type=None)
        if not isinstance(body, dict) or not body.get("ok"):
            raise TelegramApiError(f"{method}: {body}", reply.status)
        return body.get("result")

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        chat = address_on(recipient_id, TELEGRAM)
        for part in _chunks(strip_markdown(text)):
            await self.call("sendMessage", {"chat_id": chat, "text": part})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        keyboard = [
            [{"text": str(b["title"])[:64], "callback_data": await self._callback_data(str(b["payload"]))}]
            for b in buttons
        ]
        chat = address_on(recipient_id, TELEGRAM)
        parts = _chunks(strip_markdown(text))
        for part in parts[:-1]:
            await self.call("sendMessage", {"chat_id": chat, "text": part})
        payload = {"chat_id": chat, "text": parts[-1], "reply_markup": {"inline_keyboard": keyboard}}
        await self.call("sendMessage", payload)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.call("sendPhoto", {"chat_id": address_on(recipient_id, TELEGRAM), "photo": image})

    async def _callback_data(self, payload: str) -> str:
        if len(payload.encode()) <= MAX_CALLBACK_BYTES:
            return payload
        digest = hashlib.sha256(payload.encode()).hexdigest()[:24]
        client = self._client()
        if client is not None:
            await client.set(redis_keys.button_payload("telegram", digest), payload, ex=PAYLOAD_DAYS * 86400)
        return "#" + digest

    async def resolve_callback(self, data: str) -> str:
        """The payload behind a button's ``callback_data``."""
        if not data.startswith("#"):
            return data
        client = self._client()
        try:
            stored = await client.get(redis_keys.button_payload("telegram", data[1:])) if client else None
        except RedisError:  # Redis down: passed on as it is, the assistant says to try again
            logger.warning("Telegram button store unavailable")
            return data
        return stored.decode() if stored else ""

    def _client(self) -> aioredis.Redis[bytes] | None:
        if self._redis is None and self._redis_url:
            self._redis = aioredis.Redis.from_url(self._redis_url, socket_timeout=5)
        return self._redis


def _chunks(text: str) -> List[str]:
    """Telegram's message limit, split at line ends where possible."""
    text = text.strip() or " "
    parts: List[str] = []
    while len(text) > MAX_MESSAGE_CHARS:
        cut = text.rfind("\n", 0, MAX_MESSAGE_CHARS)
        cut = cut if cut > 0 else MAX_MESSAGE_CHARS
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    parts.append(text)
    return parts


class TelegramInput(InputChannel):
    """Receives Telegram updates on ``/webhooks/telegram/webhook``."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        if not credentials or not credentials.get("access_token") or not credentials.get("secret_token"):
            raise ValueError("telegram needs access_token and secret_token")
        return cls(
            str(credentials["access_token"]),
            str(credentials["secret_token"]),
            str(credentials.get("api_url") or "https://api.telegram.org"),
        )

    def __init__(self, access_token: str, secret_token: str, api_url: str) -> None:
        self.access_token = access_token
        self.secret_token = secret_token
        self.api_url = api_url

    def get_output_channel(self) -> TelegramOutput:
        return TelegramOutput(self.access_token, self.api_url, shared().settings.redis_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("telegram_webhook", __name__)
        output = self.get_output_channel()

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            presented = str(request.headers.get(SECRET_HEADER, ""))
            if not hmac.compare_digest(presented.encode(), self.secret_token.encode()):
                logger.warning("refused a Telegram update without the right secret token")
                return response.json({"ok": False, "error": "forbidden"}, status=403)
            update = request.json if isinstance(request.json, dict) else {}
            parsed = await _read_update(update, output)
            if parsed is None:
                return response.json({"ok": True})  # not a message Baraza answers (sticker, join...)
            text, chat_id, language = parsed
            metadata = {"language": language} if language else {}
            await handle_answered(
                on_new_message,
                UserMessage(
                    text,
                    output,
                    conversation_id(TELEGRAM, chat_id),
                    input_channel=self.name(),
                    metadata=metadata,
                ),
                request.app.ctx.agent,
                shared().locale,
            )
            return response.json({"ok": True})

        return webhook


async def _read_update(update: Dict[str, Any], output: TelegramOutput) -> tuple[str, str, str] | None:
    """(text, chat id, language code) of a message or a button press; None for anything else."""
    callback = update.get("callback_query")
    if isinstance(callback, dict):
        message = callback.get("message") or {}
        chat = str((message.get("chat") or {}).get("id") or "")
        try:
            await output.call("answerCallbackQuery", {"callback_query_id": callback.get("id")})
        except (TelegramApiError, aiohttp.ClientError):
            logger.warning("could not answer a Telegram button press")
        text = await output.resolve_callback(str(callback.get("data") or ""))
        language = str((callback.get("from") or {}).get("language_code") or "")
        return (text, chat, language) if chat and text else None
    message = update.get("message") or update.get("edited_message")
    if not isinstance(message, dict) or not isinstance(message.get("text"), str):
        return None
    chat = str((message.get("chat") or {}).get("id") or "")
    language = str((message.get("from") or {}).get("language_code") or "")
    text = message["text"]
    if text.startswith("/start"):
        text = "/greet"  # Telegram's first message: the greeting intent, in the user's language
    return (text, chat, language) if chat else None


async def set_webhook(public_url: str) -> Any:
    """Register ``<public_url>/webhooks/telegram/webhook`` with Telegram, with the secret token."""
    settings = shared().settings
    output = TelegramOutput(settings.telegram_token, settings.telegram_api_url)
    payload = {
        "url": f"{public_url.rstrip('/')}/webhooks/telegram/webhook",
        "secret_token": settings.telegram_secret_token,
        "allowed_updates": ["message", "edited_message", "callback_query"],
    }
    return await output.call("setWebhook", payload)


def main(argv: List[str]) -> int:
    """``python -m bot.channels.telegram set-webhook <public base url>``."""
    import asyncio

    if len(argv) != 2 or argv[0] != "set-webhook":
        print("usage: python -m bot.channels.telegram set-webhook https://your.host", file=sys.stderr)
        return 2
    settings = shared().settings
    if not settings.telegram_token or not settings.telegram_secret_token:
        print("set TELEGRAM_TOKEN and TELEGRAM_SECRET_TOKEN first", file=sys.stderr)
        return 2
    print(asyncio.run(set_webhook(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
