"""Conversations run out after their retention, through the real stack: Rasa gives each tracker its
expiry when it creates it and renews it with every message, the workers' housekeeping gives one to a
tracker without it, and a subscriber whose conversation expired still gets alerts in the language
they chose."""

from __future__ import annotations

import asyncio

import redis
import websockets

from bot import redis_keys
from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.identity import web_conversation_id
from bot.runtime.stack import Stack
from bot.subscriptions.forget import expire_idle_conversations
from tests.e2e.conftest import E2E_REDIS_URL, records
from tests.e2e.test_alerts import _cap, _next_bot_message, _post, subscribe_on_the_web
from tests.e2e.test_socketio import SOCKET_URL, SocketChat

DAY = 86400


async def _scenario(key: str, client: redis.Redis[bytes]) -> None:
    async with websockets.connect(SOCKET_URL) as socket:
        chat = SocketChat(socket)
        session = await subscribe_on_the_web(
            chat, "je voudrais les alertes pour la région de la côte", "oui", "fr"
        )
        tracker = redis_keys.rasa_tracker(web_conversation_id(session))
        assert 89 * DAY < client.ttl(tracker) <= 90 * DAY  # Rasa gave it its expiry when it created it

        client.expire(tracker, DAY)  # as if it had been idle for 89 days
        await chat.say("merci", {})  # the conversation goes on: Rasa's save renews the expiry
        assert client.ttl(tracker) > 89 * DAY
        client.persist(tracker)  # a tracker saved without an expiry (before TRACKER_EXPIRY_SECONDS)
        expire_idle_conversations(client, 90)
        assert 89 * DAY < client.ttl(tracker) <= 90 * DAY

    client.delete(tracker)  # ninety idle days later, Redis drops it
    status, record = await asyncio.to_thread(_post, "/api/v1/alerts", key, _cap("KL-RETENTION-1"))
    assert status == 201, record
    async with websockets.connect(SOCKET_URL) as socket:
        chat = SocketChat(socket)
        await chat.open(session)
        pushed = await _next_bot_message(chat, 30)
        assert pushed is not None, "the subscriber whose conversation expired got nothing"
        assert "Alerte crue" in pushed["text"] and pushed["metadata"]["language"] == "fr"
        await chat.say("STOP", {})  # leave no coast subscriber behind for the other alert tests


def test_idle_conversations_expire_and_their_subscribers_keep_their_language(stack: Stack) -> None:
    client = redis.Redis.from_url(E2E_REDIS_URL)
    key, _ = records().api_keys.create("meteo", Role.AUTHOR, "retention", utc_now())
    asyncio.run(_scenario(key, client))
