"""The HTTP surfaces: Rasa's API is protected by the token; the web app serves the page and health."""

from __future__ import annotations

from bot.runtime.stack import Stack
from tests.e2e.conftest import AUTH_TOKEN, RASA, WEB, get


def test_rasa_http_api_requires_the_token(stack: Stack) -> None:
    assert get(f"{RASA}/status")[0] == 401
    assert get(f"{RASA}/status?token=wrong")[0] == 401
    assert get(f"{RASA}/status?token={AUTH_TOKEN}")[0] == 200


def test_web_app_health_and_readiness(stack: Stack) -> None:
    assert get(f"{WEB}/health")[0] == 200
    status, body, _ = get(f"{WEB}/health/ready")
    assert status == 200, body
    assert '"redis":true' in body.replace(" ", "")


def test_chat_page_follows_the_browser_language(stack: Stack) -> None:
    status, body, headers = get(f"{WEB}/", {"Accept-Language": "ar-EG,ar;q=0.9,en;q=0.5"})
    assert status == 200
    assert '<html lang="ar" dir="rtl">' in body
    assert headers["Content-Language"] == "ar"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    status, body, _ = get(f"{WEB}/?lang=sw")
    assert '<html lang="sw" dir="ltr">' in body


def test_page_weight_is_small(stack: Stack) -> None:
    total = sum(len(get(f"{WEB}{path}")[1].encode()) for path in ("/", "/static/chat.js", "/static/chat.css"))
    assert total < 60_000, f"{total} bytes"
