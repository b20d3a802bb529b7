"""The web chat channel over socket.io, spoken on the wire exactly as the chat page speaks it
(Engine.IO v4 over WebSocket), so this also checks the page's protocol handling."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets

from bot.catalogue.bundle import Catalogues
from bot.runtime.stack import Stack
from tests.e2e.conftest import RASA_PORT

SOCKET_URL = f"ws://127.0.0.1:{RASA_PORT}/socket.io/?EIO=4&transport=websocket"


class SocketChat:
    """A minimal socket.io client: connect, request a session, exchange messages."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.session_id = ""

    async def _event(self) -> tuple[str, Any]:
        while True:
            packet = await asyncio.wait_for(self.connection.recv(), 30)
            if packet == "2":
                await self.connection.send("3")
            elif packet.startswith("42"):
                name, *payload = json.loads(packet[2:])
                return name, payload[0] if payload else None

    async def open(self, session_id: str | None = None) -> None:
        assert (await self.connection.recv()).startswith("0")
        await self.connection.send("40")
        assert (await self.connection.recv()).startswith("40")
        await self.emit("session_request", {"session_id": session_id})
        name, session_id = await self._event()
        assert name == "session_confirm"
        self.session_id = session_id

    async def emit(self, name: str, data: Any) -> None:
        await self.connection.send("42" + json.dumps([name, data]))

    async def say(self, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        await self.emit(
            "user_uttered", {"message": text, "session_id": self.session_id, "metadata": metadata}
        )
        replies = []
        name, message = await self._event()
        replies.append(message)
        while True:
            try:
                name, message = await asyncio.wait_for(self._event(), 1.0)
            except asyncio.TimeoutError:
                return replies
            if name == "bot_uttered":
                replies.append(message)


async def _converse(turns: list[str], metadata: dict[str, Any]) -> list[list[dict[str, Any]]]:
    async with websockets.connect(SOCKET_URL) as connection:
        chat = SocketChat(connection)
        await chat.open()
        return [await chat.say(turn, metadata) for turn in turns]


def test_socketio_answers_with_language_and_direction(stack: Stack, catalogues: Catalogues) -> None:
    replies = asyncio.run(_converse(["مرحبا", "كم رسوم جواز السفر؟"], {"language": "en"}))
    greeting = replies[0][0]
    assert greeting["text"] == catalogues.locales["ar"].text("greeting")
    assert greeting["metadata"] == {"language": "ar", "direction": "rtl"}
    assert len(greeting["quick_replies"]) == 7
    assert catalogues.services.text("passport", "ar").answer("fee") in replies[1][0]["text"]


SERVICE_QUESTIONS = {
    "en": ("Hello! How much does a passport cost?", "passport", "fee"),
    "fr": ("Bonjour, combien coûte une carte d'identité ?", "national_id", "fee"),
    "es": ("Hola, ¿qué documentos necesito para el pasaporte?", "passport", "documents"),
    "ar": ("مرحبا، كم رسوم جواز السفر؟", "passport", "fee"),
    "pt": ("Olá, quanto custa a carta de condução?", "driving_licence", "fee"),
    "sw": ("Habari, ada ya pasipoti ni kiasi gani?", "passport", "fee"),
}


@pytest.mark.parametrize("language", SERVICE_QUESTIONS)
def test_socketio_service_question_in_every_language(
    stack: Stack, catalogues: Catalogues, language: str
) -> None:
    question, service, aspect = SERVICE_QUESTIONS[language]
    replies = asyncio.run(_converse([question], {"language": "en"}))
    reply = replies[0][0]
    assert catalogues.services.text(service, language).answer(aspect) in reply["text"]
    assert reply["metadata"] == {
        "language": language,
        "direction": catalogues.languages.get(language).direction,
    }


def test_socketio_uses_the_browser_hint_for_a_short_first_turn(stack: Stack) -> None:
    replies = asyncio.run(_converse(["ok"], {"language": "sw-KE"}))
    assert replies[0][0]["metadata"]["language"] == "sw"
