"""Sanic application factory for the citizen-facing web app."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import aiohttp
import redis.asyncio as aioredis
from sanic import Sanic, response
from sanic.exceptions import NotFound, SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.api.alert_review import create_alert_review_blueprint
from bot.api.alerts import create_account_blueprint, create_alerts_blueprint
from bot.api.concerns import create_concerns_blueprint
from bot.api.errors import install_error_handlers
from bot.api.feeds import create_feeds_blueprint
from bot.api.handoffs import TranscriptUnavailable, create_handoffs_blueprint
from bot.api.insights import create_insights_blueprint
from bot.api.open311 import create_open311_blueprint
from bot.api.openapi import openapi_document
from bot.api.throttle import install_rate_limits
from bot.catalogue.bundle import Catalogues
from bot.handoff.relay import listen
from bot.i18n.negotiation import pick_language
from bot.services import Services
from bot.settings import Settings
from bot.web.console import render_console
from bot.web.dashboard import render_dashboard
from bot.web.history import ConversationHistory, HistoryUnavailable, is_session_secret
from bot.web.inbox import render_inbox
from bot.web.page import render_page

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
PageHandler = Callable[[Request], Coroutine[Any, Any, HTTPResponse]]


def content_security_policy(settings: Settings) -> str:
    """Allow only our own files, and connections to the Rasa server's socket.io endpoint."""
    rasa = urlparse(settings.rasa_public_url)
    ws_scheme = "wss" if rasa.scheme == "https" else "ws"
    origin = f"{rasa.netloc}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {rasa.scheme}://{origin} {ws_scheme}://{origin}; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )


async def _check_http(url: str) -> bool:
    try:
        timeout = aiohttp.ClientTimeout(total=3)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as reply:
            return reply.status < 500
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False


async def _check_redis(url: str) -> bool:
    if not url:
        return False
    client = aioredis.Redis.from_url(url, socket_timeout=3)
    try:
        return bool(await client.ping())
    except (OSError, aioredis.RedisError):
        return False
    finally:
        await client.close()


#: Responses that may carry citizen data (concerns, notes, unanswered questions, Open311 requests).
PRIVATE_PATHS = ("/api/", "/open311/")
#: Largest request body accepted (a CAP document with every language stays far below).
MAX_BODY_BYTES = 1_000_000


def create_app(settings: Settings, name: str = "baraza_web", services: Services | None = None) -> Sanic:
    """Build the app; nothing is read or connected until a request needs it."""
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.config.PROXIES_COUNT = settings.proxies_count  # behind a balancer: the client from X-Forwarded-For
    shared = services or Services(settings)
    app.ctx.services = shared
    app.ctx.authenticate = lambda key: shared.api_keys.authenticate(key)
    app.ctx.guard = lambda: shared.guard
    catalogues = shared.live_catalogues
    install_error_handlers(app)
    install_rate_limits(app)

    async def load_catalogues(*_: Any) -> None:
        """Read the catalogues before the first request (some seconds of YAML): read by the first
        request, they stalled the event loop, /health included."""
        await asyncio.to_thread(catalogues.current)

    app.register_listener(load_catalogues, "before_server_start")
    app.blueprint(create_alerts_blueprint(lambda: shared.alerts, shared.catalogues, shared.now))
    app.blueprint(create_alert_review_blueprint(lambda: shared.alerts, shared.catalogues))
    app.blueprint(create_account_blueprint())
    app.blueprint(create_concerns_blueprint(lambda: shared.concerns))
    app.blueprint(create_insights_blueprint(lambda: shared.insights))
    history = ConversationHistory(settings.rasa_url, settings.rasa_auth_token)

    async def transcript(conversation_id: str) -> list[dict[str, Any]]:
        try:
            return [m.as_json() for m in await history.transcript(conversation_id)]
        except HistoryUnavailable as error:
            log.warning("conversation unavailable for the inbox: %s", error)
            raise TranscriptUnavailable(str(error)) from error

    app.blueprint(
        create_handoffs_blueprint(
            lambda: shared.inbox,
            shared.catalogues,
            transcript,
            lambda text: shared.concerns.redacted(text),
            lambda desks: listen(shared.async_redis, desks),
        )
    )
    app.blueprint(
        create_open311_blueprint(
            shared.catalogues,
            lambda: shared.concerns,
            lambda: shared.language_identifier,
            shared.now,
            app.ctx.authenticate,
            lambda: shared.open311_repeats,
        )
    )
    app.blueprint(
        create_feeds_blueprint(
            lambda: shared.alerts, shared.catalogues, shared.now, lambda: shared.settings.public_url
        )
    )
    csp = content_security_policy(settings)
    app.static("/static", str(STATIC_DIR), name="static")
    static_root = STATIC_DIR.resolve()

    @app.on_request
    async def static_files_only(request: Request) -> None:
        """``/static/`` and ``/static/.`` name the folder itself, which Sanic answered with a 500."""
        if request.path == "/static" or request.path.startswith("/static/"):
            target = (static_root / unquote(request.path[len("/static/") :])).resolve()
            if not target.is_file() or static_root not in target.parents:
                raise NotFound("no such file")

    @app.middleware("response")  # type: ignore[no-untyped-call]
    async def security_headers(request: Request, reply: HTTPResponse) -> None:
        reply.headers.setdefault("Content-Security-Policy", csp)
        reply.headers.setdefault("X-Content-Type-Options", "nosniff")
        reply.headers.setdefault("Referrer-Policy", "no-referrer")
        if request.path.startswith(PRIVATE_PATHS):  # citizen data: never kept by a browser or proxy
            reply.headers["Cache-Control"] = "no-store"

    def chosen_language(request: Request) -> tuple[Catalogues, str]:
        """The catalogues and the language a page is shown in (``?lang=``, else the browser's)."""
        current = catalogues.current()
        browser = request.headers.get("accept-language")
        return current, pick_language(current.languages, request.args.get("lang"), browser)

    @app.get("/")
    async def chat_page(request: Request) -> HTTPResponse:
        current, language = chosen_language(request)
        page = render_page(current, language, settings.rasa_public_url)
        return response.html(page, headers={"Content-Language": language})

    @app.post("/chat/history")
    async def chat_history(request: Request) -> HTTPResponse:
        """The recent messages of the page's own session, for a reload (see bot/web/history.py)."""
        no_store = {"Cache-Control": "no-store"}
        try:
            body = request.json
        except SanicException:  # a body that is not JSON
            body = None
        secret = body.get("session_id") if isinstance(body, dict) else None
        if not is_session_secret(secret):
            message = 'send {"session_id": "<the session\'s secret>"} as JSON'
            return response.json({"error": message}, status=400, headers=no_store)
        try:
            messages = await history.recent(str(secret))
        except HistoryUnavailable as error:
            log.warning("chat history unavailable: %s", error)
            return response.json({"error": "history unavailable"}, status=503, headers=no_store)
        return response.json({"messages": [m.as_json() for m in messages]}, headers=no_store)

    def staff_page(render: Callable[[Catalogues, str], str]) -> PageHandler:
        async def page(request: Request) -> HTTPResponse:
            current, language = chosen_language(request)
            return response.html(render(current, language), headers={"Content-Language": language})

        return page

    app.add_route(staff_page(render_console), "/console", name="console")

    def dashboard_page(current: Catalogues, language: str) -> str:
        desks = {desk.desk_id: desk.ministry for desk in shared.desks().desks.values()}
        return render_dashboard(current, language, desks)

    app.add_route(staff_page(dashboard_page), "/dashboard", name="dashboard")
    app.add_route(staff_page(render_inbox), "/inbox", name="inbox")

    @app.get("/openapi.json")
    async def openapi(_: Request) -> HTTPResponse:
        return response.json(openapi_document())

    @app.get("/health")
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.get("/health/ready")
    async def ready(_: Request) -> HTTPResponse:
        checks = dict(
            zip(
                ("redis", "rasa", "action_server"),
                await asyncio.gather(
                    _check_redis(settings.redis_url),
                    _check_http(f"{settings.rasa_url}/"),
                    _check_http(settings.action_server_url.rsplit("/", 1)[0] + "/health"),
                ),
                strict=False,
            )
        )
        ok = all(checks.values())
        return response.json(
            {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
        )

    return app
