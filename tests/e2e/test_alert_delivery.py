"""One broadcast through the real stack to citizens who subscribed in the chat on Telegram, by SMS
(Twilio) and on the web chat: the stack's worker sends each straight through the channel
(``bot/channels/direct.py``), once, and "tell me more" afterwards is about that alert on every channel.
(The web chat's inbox and Messenger: tests/e2e/test_direct_delivery.py.)"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import websockets

from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.catalogue.bundle import Catalogues
from bot.fanout.notices import NoticeKind
from bot.identity import web_conversation_id
from bot.runtime.stack import Stack
from tests.e2e.conftest import (
    AUTH_TOKEN,
    RASA,
    TWILIO_SMS_NUMBER,
    ProviderStandIn,
    get,
    records,
)
from tests.e2e.test_alerts import _cap, _delivered, _next_bot_message, _post
from tests.e2e.test_socketio import SOCKET_URL, SocketChat
from tests.e2e.test_telegram import _message, _post_update
from tests.e2e.test_twilio import MESSAGES
from tests.e2e.test_twilio import _post as _post_sms

CHAT = 7801
PHONE = "+254722780100"


def _tracker(conversation: str) -> Any:
    status, body, _ = get(f"{RASA}/conversations/{conversation}/tracker?token={AUTH_TOKEN}")
    assert status == 200, body
    return json.loads(body)


def _telegram_to(stand_in: ProviderStandIn, after: int) -> list[str]:
    return [
        c["text"] for c in stand_in.calls_to("/sendMessage")[after:] if str(c.get("chat_id")) == str(CHAT)
    ]


def _sms_to(stand_in: ProviderStandIn, after: int) -> list[str]:
    return [c["Body"] for c in stand_in.calls_to(MESSAGES)[after:] if c.get("To") == PHONE]


def _telegram_says(stand_in: ProviderStandIn, text: str) -> list[str]:
    before = len(stand_in.calls_to("/sendMessage"))
    assert _post_update(_message(CHAT, text, language="fr")) == 200
    return _telegram_to(stand_in, before)


def _sms_says(stand_in: ProviderStandIn, text: str) -> list[str]:
    before = len(stand_in.calls_to(MESSAGES))
    form = {"From": PHONE, "To": TWILIO_SMS_NUMBER, "Body": text, "MessageSid": f"SM{time.time_ns()}"}
    assert _post_sms("twilio", form) == 200
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not _sms_to(stand_in, before):
        time.sleep(0.1)
    return _sms_to(stand_in, before)


async def _scenario(key: str, stand_in: ProviderStandIn, catalogues: Catalogues) -> None:
    async with websockets.connect(SOCKET_URL) as socket:
        web = SocketChat(socket)
        await web.open()
        await web.say("subscribe me to alerts for the coast region", {"language": "en"})
        await web.say("yes", {})
        french = catalogues.locales["fr"]
        assert await asyncio.to_thread(_telegram_says, stand_in, "/start")
        asked = await asyncio.to_thread(
            _telegram_says, stand_in, "je voudrais recevoir les alertes pour la région de la côte"
        )
        assert any(catalogues.regions.name("coast", "fr") in t for t in asked), asked
        assert any("STOP" in t for t in await asyncio.to_thread(_telegram_says, stand_in, "oui"))
        await asyncio.to_thread(_sms_says, stand_in, "subscribe me to alerts for the coast region")
        assert any("STOP" in t for t in await asyncio.to_thread(_sms_says, stand_in, "yes"))

        telegram_before = len(stand_in.calls_to("/sendMessage"))
        sms_before = len(stand_in.calls_to(MESSAGES))
        status, record = await asyncio.to_thread(_post, "/api/v1/alerts", key, _cap("KL-DIRECT-1"))
        assert status == 201, record
        pushed = await _next_bot_message(web, 30)
        assert pushed is not None and "Flood warning" in pushed["text"]
        await asyncio.to_thread(_delivered, key, record["id"])
        await asyncio.sleep(2)  # anything sent twice would have arrived by now
        [telegram] = _telegram_to(stand_in, telegram_before)
        assert "Alerte crue" in telegram and french.ministry_names["meteo"] in telegram
        [sms] = _sms_to(stand_in, sms_before)
        assert "Flood warning" in sms and "Move to high ground." in sms
        assert await _next_bot_message(web, 2) is None  # the web chat too got it once

        services = records()  # the running stack's Redis and database
        web_conversation = web_conversation_id(web.session_id)
        for conversation in (f"telegram:{CHAT}", f"sms:{PHONE}", web_conversation):  # straight through...
            latest = services.pushed_notices.latest(conversation, frozenset({NoticeKind.ALERT}))
            assert latest is not None and latest.reference == record["id"], conversation
            assert record["id"] not in json.dumps(_tracker(conversation))  # not a turn of the assistant

        # ... and the conversation knows what it was shown: "tell me more" is about that alert
        more = await asyncio.to_thread(_telegram_says, stand_in, "plus")
        assert any("Le fleuve Mto a débordé près de Bandari." in t for t in more), more
        more = await asyncio.to_thread(_sms_says, stand_in, "tell me more")
        assert any("The Mto river burst its banks." in t for t in more), more
        details = await web.say("tell me more", {})
        assert "The Mto river burst its banks." in details[0]["text"], details

        # STOP on each channel: the next tests' broadcasts to the coast are not theirs
        await web.say("STOP", {})
        await asyncio.to_thread(_telegram_says, stand_in, "STOP")
        await asyncio.to_thread(_sms_says, stand_in, "STOP")
        assert services.subscriptions.get(f"telegram:telegram:{CHAT}") is None
        assert services.subscriptions.get(f"twilio:sms:{PHONE}") is None


def test_a_broadcast_reaches_telegram_sms_and_the_web_chat_once_each_and_tell_me_more_follows(
    stack: Stack, telegram_api: ProviderStandIn, catalogues: Catalogues
) -> None:
    key, _ = records().api_keys.create("meteo", Role.AUTHOR, "direct", utc_now())
    asyncio.run(_scenario(key, telegram_api, catalogues))
