"""USSD through Africa's Talking: the whole assistant as numbered menus on a basic phone.

The gateway posts a form (``sessionId``, ``serviceCode``, ``phoneNumber``, ``text``) where ``text`` holds
every entry of the session joined by ``*``; the reply is plain text starting with ``CON`` (the session
continues) or ``END``. The conversation is ``ussd:<phone number>`` (alerts subscribed here arrive by SMS
on the same number). The channel is off until AFRICASTALKING_CALLBACK_TOKEN is set, and then refuses
every callback without it (the gateway signs nothing: the token is in the callback URL, ?token=).
This channel numbers the choices itself and keeps, per USSD session, the screens shown, so that "98"
shows the next page, "0" the previous page (or screen) and "00" the main menu without asking the
assistant; a number picks the option of the screen on display, anything else is sent as typed text.
A reply that asks the citizen to type (``awaits_text``, e.g. the description of a concern) keeps the
session open like a menu; only a reply that asks nothing ends it.

Another gateway is another small adapter: only the form fields and the CON/END convention are
Africa's Talking's.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any, Awaitable, Callable, Dict, List

import redis.asyncio as aioredis
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from redis.exceptions import RedisError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import redis_keys
from bot.assistant.choices import typed_number
from bot.channels.ussd_menu import (
    BACK,
    HOME,
    MORE,
    Screen,
    UssdTexts,
    answer_screen,
    menu_screen,
    question_screen,
)
from bot.identity import USSD, conversation_id
from bot.services import shared

logger = logging.getLogger(__name__)
#: A USSD session lasts a few minutes at most at every operator.
SESSION_SECONDS = 300


class UssdCollector(CollectingOutputChannel):
    """Collects the assistant's replies with their language and choices."""

    @classmethod
    def name(cls) -> str:
        return "ussd"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self._collect(text, [], kwargs)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        self._collect(text, buttons, kwargs)

    def _collect(self, text: str, buttons: List[Dict[str, Any]], kwargs: Dict[str, Any]) -> None:
        language, awaits = kwargs.get("language"), bool(kwargs.get("awaits_text"))
        self.messages.append({"text": text, "buttons": buttons, "language": language, "awaits_text": awaits})


class UssdInput(InputChannel):
    """``POST /webhooks/ussd/webhook``: Africa's Talking's USSD session callback."""

    @classmethod
    def name(cls) -> str:
        return "ussd"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        token = str((credentials or {}).get("callback_token") or "")
        if not token:
            raise ValueError("ussd needs callback_token (AFRICASTALKING_CALLBACK_TOKEN)")
        return cls(token)

    def __init__(self, callback_token: str) -> None:
        if not callback_token:
            raise ValueError("the USSD channel needs a callback token")
        #: Africa's Talking signs nothing: the token in the callback URL (?token=) is checked.
        self.callback_token = callback_token

    def _store(self) -> aioredis.Redis[bytes]:
        return shared().async_redis

    def _texts(self, language: str) -> UssdTexts:
        locale = shared().locale(language)
        return UssdTexts(
            back=locale.text("ussd_back"), home=locale.text("ussd_home"), more=locale.text("ussd_more")
        )

    def _home_title(self, language: str) -> str:
        return shared().locale(language).text("ussd_title")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("ussd_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def session(request: Request) -> HTTPResponse:
            if not hmac.compare_digest(
                str(request.args.get("token", "")).encode(), self.callback_token.encode()
            ):
                logger.warning("refused a USSD callback without the right token")
                return response.text("END", status=403)
            session_id = str(request.form.get("sessionId") or "")
            phone = str(request.form.get("phoneNumber") or "")
            entries = str(request.form.get("text") or "")
            if not session_id or not phone:
                return response.text("END Invalid request", status=400)
            latest = entries.split("*")[-1].strip() if entries else ""
            text = await self._answer(session_id, phone, latest, not entries, on_new_message)
            return response.text(text)

        return webhook

    async def _answer(
        self,
        session_id: str,
        phone: str,
        latest: str,
        first: bool,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> str:
        key = redis_keys.ussd_session(session_id)
        try:
            raw = await self._store().get(key)
        except RedisError:  # Redis down: the assistant's try-again answer (rasa_addons.store_failure)
            logger.warning("USSD session store unavailable; this screen is shown without it")
            raw = None
        state: Dict[str, Any] = json.loads(raw) if raw else {"screens": [], "language": ""}
        screens = [Screen.from_json(s) for s in state["screens"]]
        if screens and not first and latest == MORE:
            screens[-1].forward()
        elif screens and not first and latest == BACK and (screens[-1].page > 0 or len(screens) > 1):
            if not screens[-1].backward():
                screens.pop()
        else:
            if first or latest == HOME or not latest:
                message, home = "/greet", True
            elif screens and typed_number(latest, len(screens[-1].payloads)):
                message, home = screens[-1].payloads[int(latest) - 1], False
            else:
                message, home = latest, False
            screen, language = await self._ask(phone, message, home, state["language"], on_new_message)
            state["language"] = language or state["language"]
            screens = [screen] if home else [*screens, screen]
        state["screens"] = [s.to_json() for s in screens[-10:]]
        try:
            await self._store().set(key, json.dumps(state), ex=SESSION_SECONDS)
        except RedisError:
            logger.warning("USSD session store unavailable; the screens shown are not kept")
        page, more = screens[-1].current()
        return ("CON " if more else "END ") + page

    async def _ask(
        self,
        phone: str,
        message: str,
        home: bool,
        language: str,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> tuple[Screen, str]:
        collector = UssdCollector()
        metadata = {"language": language} if language else {}
        await on_new_message(
            UserMessage(
                message,
                collector,
                conversation_id(USSD, phone),
                input_channel=self.name(),
                metadata=metadata,
            )
        )
        # nothing back (the action server restarting): say so rather than show an empty screen
        apology = shared().locale(language).text("temporary_error")
        replies = collector.messages or [{"text": apology, "buttons": [], "language": language}]
        language = next((str(m["language"]) for m in reversed(replies) if m.get("language")), language)
        texts = self._texts(language)
        buttons: List[Dict[str, Any]] = next(
            (m["buttons"] for m in reversed(replies) if m.get("buttons")), []
        )
        text = "\n".join(str(m["text"]) for m in replies if m.get("text"))
        if buttons:
            header = self._home_title(language) if home else text
            titles = [str(b["title"]) for b in buttons]
            payloads = [str(b["payload"]) for b in buttons]
            return menu_screen(header, titles, payloads, texts, home), language
        if any(m.get("awaits_text") for m in replies):
            return question_screen(text, texts), language
        return answer_screen(text, texts), language
