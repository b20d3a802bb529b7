"""The web app: built without connecting anywhere, pages in the negotiated language, honest readiness."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from sanic import Sanic
from sanic.request import RequestParameters

from bot.settings import load_settings
from bot.web.app import content_security_policy, create_app

_names = itertools.count()
UNREACHABLE = {
    "REDIS_URL": "redis://127.0.0.1:1/0",
    "RASA_URL": "http://127.0.0.1:1",
    "ACTION_SERVER_URL": "http://127.0.0.1:1/webhook",
}


def _app() -> Sanic:
    return create_app(load_settings(UNREACHABLE), name=f"web_app_test_{next(_names)}")


def _handler(app: Sanic, path: str) -> Callable[..., Any]:
    [route] = [r for r in app.router.routes if "/" + r.path.lstrip("/") == path]
    return route.handler  # type: ignore[no-any-return]


def test_scripts_may_only_connect_to_the_rasa_server() -> None:
    policy = content_security_policy(load_settings({"RASA_PUBLIC_URL": "https://chat.kalima.example"}))
    assert "connect-src 'self' https://chat.kalima.example wss://chat.kalima.example;" in policy
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    local = content_security_policy(load_settings({}))
    assert "connect-src 'self' http://localhost:5005 ws://localhost:5005;" in local


def test_the_app_is_built_without_any_service_and_serves_every_surface() -> None:
    app = _app()  # nothing listens at any of the addresses: building must not try them
    paths = {"/" + r.path.lstrip("/") for r in app.router.routes}
    assert {
        "/",
        "/chat/history",
        "/console",
        "/dashboard",
        "/health",
        "/health/ready",
        "/openapi.json",
    } <= paths
    assert any(p.startswith("/api/v1/alerts") for p in paths) and any(
        p.startswith("/open311/v2") for p in paths
    )
    assert any(p.startswith("/feeds/") for p in paths) and any(p.startswith("/static") for p in paths)


def test_readiness_reports_each_dependency_that_is_down() -> None:
    app = _app()
    reply = asyncio.run(_handler(app, "/health/ready")(SimpleNamespace()))
    assert reply.status == 503
    assert json.loads(reply.body) == {
        "status": "unavailable",
        "checks": {"redis": False, "rasa": False, "action_server": False},
    }
    health = asyncio.run(_handler(app, "/health")(SimpleNamespace()))
    assert health.status == 200 and json.loads(health.body) == {"status": "ok"}


def test_the_chat_page_is_in_the_asked_or_the_browsers_language() -> None:
    app = _app()
    page = _handler(app, "/")

    def get(args: dict[str, list[str]], accept_language: str) -> Any:
        request = SimpleNamespace(args=RequestParameters(args), headers={"accept-language": accept_language})
        return asyncio.run(page(request))

    browser = get({}, "ar-EG,ar;q=0.9,en;q=0.5")
    assert browser.headers["Content-Language"] == "ar" and b'<html lang="ar" dir="rtl">' in browser.body
    asked = get({"lang": ["sw"]}, "ar")
    assert asked.headers["Content-Language"] == "sw"
