"""The web chat and Messenger pushed straight from the stack's delivery worker, not as a turn of Rasa
(``bot/channels/direct.py``): a citizen with the page open gets the alert live, one who closed it finds
it on return (the offline inbox), "tell me more" is about it, a Messenger subscriber gets it from the
Graph API stand-in once; no conversation's tracker has the alert in it (no ``trigger_intent``)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import websockets

from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.catalogue.bundle import Catalogues
from bot.fanout.notices import NoticeKind
from bot.identity import web_conversation_id
from bot.runtime.stack import Stack
from tests.e2e.conftest import ProviderStandIn, records
from tests.e2e.test_alert_delivery import _tracker
from tests.e2e.test_alerts import _cap, _delivered, _next_bot_message, _post, subscribe_on_the_web
from tests.e2e.test_messenger import _message, _sent_to
from tests.e2e.test_messenger import _post as _post_messenger
from tests.e2e.test_socketio import SOCKET_URL, SocketChat

PSID = "psid-direct-1"
DETAILS = "The Mto river burst its banks."


def _messenger_says(stand_in: ProviderStandIn, text: str) -> list[str]:
    before = len(stand_in.calls)
    assert _post_messenger(_message(PSID, text)) == 200
    return [str(m["message"].get("text")) for m in _sent_to(stand_in, PSID, before)]


def _messenger_to(stand_in: ProviderStandIn, after: int) -> list[dict[str, Any]]:
    return [
        b
        for p, b in stand_in.calls[after:]
        if "/me/messages" in p and b.get("recipient", {}).get("id") == PSID
    ]


async def _scenario(key: str, stand_in: ProviderStandIn, catalogues: Catalogues) -> None:
    async with websockets.connect(SOCKET_URL) as socket:  # subscribes, then closes the page
        away = await subscribe_on_the_web(
            SocketChat(socket), "subscribe me to alerts for the coast region", "yes", "en"
        )
    asked = await asyncio.to_thread(_messenger_says, stand_in, "subscribe me to alerts for the coast region")
    assert any(catalogues.regions.name("coast", "en") in t for t in asked), asked
    assert any("STOP" in t for t in await asyncio.to_thread(_messenger_says, stand_in, "yes"))
    async with websockets.connect(SOCKET_URL) as socket:
        here = SocketChat(socket)
        await subscribe_on_the_web(here, "subscribe me to alerts for the coast region", "yes", "en")
        messenger_before = len(stand_in.calls)
        status, record = await asyncio.to_thread(_post, "/api/v1/alerts", key, _cap("KL-DIRECT-2"))
        assert status == 201, record
        pushed = await _next_bot_message(here, 30)  # live, on the open page
        assert pushed is not None and "Flood warning" in pushed["text"], pushed
        assert pushed["metadata"] == {"language": "en", "direction": "ltr"}
        await asyncio.to_thread(_delivered, key, record["id"])
        await asyncio.sleep(2)  # anything sent twice would have arrived by now
        assert await _next_bot_message(here, 1) is None
        details = await here.say("tell me more", {})
        assert DETAILS in details[0]["text"], details
        await here.say("STOP", {})
        conversations = [web_conversation_id(here.session_id), web_conversation_id(away)]

    [sent] = _messenger_to(stand_in, messenger_before)  # once
    assert "Flood warning" in sent["message"]["text"] and "Move to high ground." in sent["message"]["text"]

    async with websockets.connect(SOCKET_URL) as socket:  # back on the page: it was kept for them
        back = SocketChat(socket)
        await back.open(away)
        waiting = await _next_bot_message(back, 10)
        assert waiting is not None and "Flood warning" in waiting["text"], waiting
        assert waiting["metadata"] == {"language": "en", "direction": "ltr"}
        details = await back.say("tell me more", {})
        assert DETAILS in details[0]["text"], details
        await back.say("STOP", {})

    assert any(DETAILS in t for t in await asyncio.to_thread(_messenger_says, stand_in, "tell me more"))
    await asyncio.to_thread(_messenger_says, stand_in, "STOP")
    services = records()
    for conversation in [*conversations, f"messenger:{PSID}"]:
        latest = services.pushed_notices.latest(conversation, frozenset({NoticeKind.ALERT}))
        assert latest is not None and latest.reference == record["id"], conversation
        # not a turn of the assistant: Rasa never heard of this alert (no EXTERNAL_alert, no slot)
        tracker = json.dumps(_tracker(conversation))
        assert record["id"] not in tracker and "EXTERNAL_alert" not in tracker, conversation


def test_the_web_chat_and_messenger_get_the_alert_straight_from_the_worker(
    stack: Stack, telegram_api: ProviderStandIn, catalogues: Catalogues
) -> None:
    key, _ = records().api_keys.create("meteo", Role.AUTHOR, "direct web", utc_now())
    asyncio.run(_scenario(key, telegram_api, catalogues))
