"""A reload brings back the session's own recent messages, read from Rasa with a token the page never sees."""

from __future__ import annotations

import asyncio
import http.server
import itertools
import json
import threading
import urllib.parse
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from bot.settings import load_settings
from bot.web.app import create_app
from bot.web.history import (
    ConversationHistory,
    HistoryUnavailable,
    ShownMessage,
    conversation_id,
    is_session_secret,
    messages_from_events,
)

SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
TOKEN = "rasa-token-never-shown"
_names = itertools.count()


def _user(text: str, channel: str = "socketio") -> dict[str, Any]:
    return {"event": "user", "text": text, "input_channel": channel, "metadata": {"language": "en"}}


def _bot(text: str, language: str = "en", buttons: list[dict[str, str]] | None = None) -> dict[str, Any]:
    direction = "rtl" if language == "ar" else "ltr"
    return {
        "event": "bot",
        "text": text,
        "data": {"buttons": buttons},
        "metadata": {"language": language, "direction": direction, "utter_action": "x"},
    }


YES = {"title": "Yes, I agree", "payload": "/affirm"}
NO = {"title": "No", "payload": "/deny"}


def test_the_conversation_comes_back_as_the_page_showed_it() -> None:
    events = [
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        _user("hello"),
        _bot("Hello! What can I do?", buttons=[YES, NO]),
        _user("/affirm"),  # a tap on "Yes, I agree"
        _bot("مرحبا", language="ar"),
        {"event": "slot", "name": "language", "value": "ar"},
        _user('/switch_language{"language":"sw"}'),  # the language menu: no button said it
        _user("EXTERNAL: alert_pushed"),  # an alert pushed from outside: not the citizen's words
        _bot("ALERT from the Ministry of Water"),
    ]
    assert messages_from_events(events) == [
        ShownMessage("user", "hello"),
        ShownMessage("bot", "Hello! What can I do?", "en", "ltr"),  # old buttons are not offered again
        ShownMessage("user", "Yes, I agree"),
        ShownMessage("bot", "مرحبا", "ar", "rtl"),
        ShownMessage("bot", "ALERT from the Ministry of Water", "en", "ltr"),
    ]


def test_only_the_newest_messages_come_back_and_the_last_question_keeps_its_buttons() -> None:
    events = [_user("hello")]
    for turn in range(40):
        events += [_user(f"question {turn}"), _bot(f"answer {turn}")]
    events.append(_bot("Anything else?", buttons=[YES, NO]))
    shown = messages_from_events(events, limit=5)
    assert [m.text for m in shown] == [
        "question 38",
        "answer 38",
        "question 39",
        "answer 39",
        "Anything else?",
    ]
    assert [c.title for c in shown[-1].choices] == ["Yes, I agree", "No"]
    assert all(not m.choices for m in shown[:-1])


def test_a_conversation_of_another_channel_shows_nothing() -> None:
    sms = [_user("hello", channel="africastalking"), _bot("Hello!")]
    assert messages_from_events(sms) == []
    assert messages_from_events([{"event": "session_started"}]) == []


def test_a_persons_words_are_told_apart_from_the_assistants() -> None:
    """The agent who takes a conversation over (or takes it after a transfer) sees who said what."""
    person = _bot("Hola, soy Amina.", "es")
    person["metadata"]["said_by"] = "person"
    shown = messages_from_events(
        [_user("Quiero hablar con una persona", "rest"), _bot("Espere."), person], web_only=False
    )
    assert [m.as_json().get("person", False) for m in shown] == [False, False, True]
    assert [m.as_json()["from"] for m in shown] == ["user", "bot", "bot"]  # the web chat shows it as ever


def test_only_a_long_random_secret_opens_a_conversation() -> None:
    assert is_session_secret(SECRET)
    assert is_session_secret("Vx3-kZ_9qP0aLm2nB7cD4eQ8rT1uW5yZ0")  # 32 URL-safe characters: 192 bits
    for guessable in ("", "+254700000000", "123456789", "whatsapp:+14155238886", "e2e-123", None, 42):
        assert not is_session_secret(guessable), guessable
    assert not is_session_secret("../../conversations/x/tracker?token=")


class StandInRasa:
    """Rasa's tracker endpoint on loopback: records what it was asked, answers a stored tracker."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, dict[str, list[str]]]] = []
        self.trackers: dict[str, dict[str, Any]] = {}
        self.status = 200
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query)
                stand_in.asked.append((urllib.parse.unquote(url.path), query))
                sender = urllib.parse.unquote(url.path).split("/")[2]
                if query.get("token") != [TOKEN]:
                    status, body = 401, {"reason": "NotAuthenticated"}
                else:
                    status = stand_in.status
                    body = stand_in.trackers.get(sender, {"sender_id": sender, "events": []})
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture()
def rasa() -> Iterator[StandInRasa]:
    stand_in = StandInRasa()
    stand_in.trackers[conversation_id(SECRET)] = {"events": [_user("hello"), _bot("Hello!", buttons=[YES])]}
    yield stand_in
    stand_in.server.shutdown()


def _ask(rasa_url: str, body: Any, token: str = TOKEN) -> tuple[int, dict[str, str], Any]:
    settings = load_settings(
        {"RASA_URL": rasa_url, "RASA_AUTH_TOKEN": token, "REDIS_URL": "redis://127.0.0.1:1/0"}
    )
    app = create_app(settings, name=f"history_test_{next(_names)}")
    [route] = [r for r in app.router.routes if r.path.strip("/") == "chat/history"]
    reply = asyncio.run(route.handler(SimpleNamespace(json=body)))
    return reply.status, dict(reply.headers), json.loads(reply.body)


def test_the_page_gets_its_messages_and_never_the_token(rasa: StandInRasa) -> None:
    status, headers, body = _ask(rasa.url, {"session_id": SECRET})
    assert status == 200
    assert body == {
        "messages": [
            {"from": "user", "text": "hello", "language": None, "direction": None, "choices": []},
            {
                "from": "bot",
                "text": "Hello!",
                "language": "en",
                "direction": "ltr",
                "choices": [{"title": "Yes, I agree", "payload": "/affirm"}],
            },
        ]
    }
    assert headers["Cache-Control"] == "no-store"
    assert TOKEN not in json.dumps(body)
    [(path, query)] = rasa.asked
    assert path == f"/conversations/{conversation_id(SECRET)}/tracker" and query["token"] == [TOKEN]


def test_without_the_secret_nothing_is_asked_of_rasa(rasa: StandInRasa) -> None:
    for body in (None, [], {}, {"session_id": "+254700000000"}, {"session_id": 7}, "x"):
        status, _, answer = _ask(rasa.url, body)
        assert status == 400 and "session_id" in answer["error"]
    assert rasa.asked == []
    status, _, answer = _ask(rasa.url, {"session_id": "A" * 32})  # well formed, but nobody's session
    assert (status, answer) == (200, {"messages": []})


def test_rasa_down_or_refusing_is_a_clear_503(rasa: StandInRasa) -> None:
    status, _, answer = _ask("http://127.0.0.1:1", {"session_id": SECRET})
    assert (status, answer) == (503, {"error": "history unavailable"})
    status, _, answer = _ask(rasa.url, {"session_id": SECRET}, token="wrong")
    assert (status, answer) == (503, {"error": "history unavailable"})
    asked = len(rasa.asked)
    status, _, _ = _ask(rasa.url, {"session_id": SECRET}, token="")  # closed until the token is set
    assert status == 503 and len(rasa.asked) == asked


def test_the_history_client_refuses_without_a_token() -> None:
    with pytest.raises(HistoryUnavailable):
        asyncio.run(ConversationHistory("http://127.0.0.1:1", "").recent(SECRET))
