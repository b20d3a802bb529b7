"""A web-chat session's recent messages, for the chat page to show again after a reload.

The messages come from the conversation itself (Rasa's tracker), fetched by the web app with the Rasa
token, which never reaches the browser. The page proves the conversation is its own with the session's
secret, the socket.io session id it keeps: that secret is the conversation's id in Rasa, long and random,
so no one can read a conversation whose secret they were not given. Ids of the other channels (phone
numbers, Telegram chat ids) are short or hold other characters, so they are refused before Rasa is asked,
and a conversation in which nobody wrote through the web chat shows nothing.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.handoff.relay import SAID_BY_PERSON
from bot.identity import conversation_path, is_web_secret, web_conversation_id

#: How many messages a reload brings back (the newest; older ones stay in the conversation).
HISTORY_LIMIT = 30
#: How many messages an agent taking a conversation over reads (the newest).
TRANSCRIPT_LIMIT = 100
#: The name Rasa records as the input channel of a message typed in the web chat.
WEB_CHANNEL = "socketio"
#: What Rasa writes as the text of an intent triggered from outside (an alert pushed, for example).
_EXTERNAL_PREFIX = "EXTERNAL: "


class HistoryUnavailable(Exception):
    """The conversation could not be read (Rasa unreachable, refused the token or is not configured)."""


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str


@dataclass(frozen=True)
class ShownMessage:
    """One message as the page shows it: who said it, its text, and the language it is written in."""

    sender: str  #: "user" or "bot"
    text: str
    language: str | None = None
    direction: str | None = None
    choices: tuple[Choice, ...] = ()
    by_person: bool = False  #: a desk's person's words, said for them in the conversation

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.sender,
            "text": self.text,
            "language": self.language,
            "direction": self.direction,
            "choices": [{"title": c.title, "payload": c.payload} for c in self.choices],
            **({"person": True} if self.by_person else {}),
        }


def is_session_secret(value: object) -> bool:
    """Whether ``value`` has the form of a web-chat session secret."""
    return isinstance(value, str) and is_web_secret(value)


def conversation_id(secret: str) -> str:
    """The Rasa conversation of a web-chat session: the digest the socket.io channel uses."""
    return web_conversation_id(secret)


def _choices(event: dict[str, Any]) -> tuple[Choice, ...]:
    data = event.get("data") or {}
    buttons = data.get("buttons") or data.get("quick_replies") or []
    return tuple(
        Choice(str(b.get("title") or ""), str(b.get("payload") or ""))
        for b in buttons
        if isinstance(b, dict) and b.get("title") and b.get("payload")
    )


def messages_from_events(
    events: list[dict[str, Any]], limit: int = HISTORY_LIMIT, web_only: bool = True
) -> list[ShownMessage]:
    """The messages of a web-chat conversation as the page showed them, the newest ``limit`` of them.

    A choice the citizen tapped is recorded as its payload (``/affirm``) and is shown as the title of
    the button it came from, as on the page; a payload with no such button (the language menu sends
    one) and intents triggered from outside are left out. Buttons come back on the last message only,
    when it is the assistant's: older questions are closed. Nothing is shown for a conversation nobody
    wrote to through the web chat, unless ``web_only`` is False (the agents' inbox reads conversations
    of every channel).
    """
    if web_only and not any(
        e.get("event") == "user" and e.get("input_channel") == WEB_CHANNEL for e in events
    ):
        return []
    shown: list[ShownMessage] = []
    offered: dict[str, str] = {}  # payload -> title of the buttons last offered
    for event in events:
        kind = event.get("event")
        if kind == "bot":
            metadata = event.get("metadata") or {}
            choices = _choices(event)
            if choices:
                offered = {c.payload: c.title for c in choices}
            text = str(event.get("text") or "")
            if text:
                shown.append(
                    ShownMessage(
                        "bot",
                        text,
                        metadata.get("language") if isinstance(metadata.get("language"), str) else None,
                        metadata.get("direction") if metadata.get("direction") in ("ltr", "rtl") else None,
                        choices,
                        metadata.get("said_by") == SAID_BY_PERSON,
                    )
                )
        elif kind == "user":
            text = str(event.get("text") or "")
            if not text or text.startswith(_EXTERNAL_PREFIX):
                continue
            if text.startswith("/"):
                if text not in offered:
                    continue
                text = offered[text]
            shown.append(ShownMessage("user", text))
    recent = shown[-limit:] if limit > 0 else []
    return [
        m
        if (i == len(recent) - 1 and m.sender == "bot")
        else ShownMessage(m.sender, m.text, m.language, m.direction, by_person=m.by_person)
        for i, m in enumerate(recent)
    ]


class ConversationHistory:
    """Reads web-chat conversations from Rasa's HTTP API (``GET /conversations/<id>/tracker``)."""

    def __init__(self, rasa_url: str, token: str, timeout_seconds: float = 5.0) -> None:
        self._url = rasa_url.rstrip("/")
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)

    async def recent(self, secret: str, limit: int = HISTORY_LIMIT) -> list[ShownMessage]:
        """The session's newest messages; :class:`HistoryUnavailable` when Rasa cannot tell."""
        events = await self._events(conversation_path(conversation_id(secret)))
        return messages_from_events(events, limit)

    async def transcript(self, conversation: str, limit: int = TRANSCRIPT_LIMIT) -> list[ShownMessage]:
        """The newest messages of any conversation (``conversation`` is its id in Rasa, channel scoped),
        for the agent who takes it over."""
        # Rasa's routes do not URL-decode: ":" and "+" of scoped ids are sent as they are.
        events = await self._events(conversation_path(conversation))
        return messages_from_events(events, limit, web_only=False)

    async def _events(self, quoted_id: str) -> list[dict[str, Any]]:
        if not self._token:
            raise HistoryUnavailable("the Rasa token is not set")
        url = f"{self._url}/conversations/{quoted_id}/tracker"
        try:
            async with (
                aiohttp.ClientSession(timeout=self._timeout) as session,
                session.get(url, params={"token": self._token, "include_events": "AFTER_RESTART"}) as reply,
            ):
                if reply.status != 200:
                    raise HistoryUnavailable(f"Rasa answered {reply.status}")
                tracker = await reply.json()
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            # The error's text may hold the URL, and so the token: name its kind only.
            raise HistoryUnavailable(type(error).__name__) from error
        events = tracker.get("events") if isinstance(tracker, dict) else None
        return events if isinstance(events, list) else []
