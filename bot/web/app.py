"""Sanic application factory for the citizen-facing web app."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlparse

import aiohttp
import redis.asyncio as aioredis
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.catalogue.bundle import LiveCatalogues
from bot.settings import Settings
from bot.web.page import pick_language, render_page

STATIC_DIR = Path(__file__).parent / "static"


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


def create_app(settings: Settings, name: str = "baraza_web") -> Sanic:
    """Build the app; nothing is read or connected until a request needs it."""
    app = Sanic(name)
    catalogues = LiveCatalogues(settings.config_dir)
    csp = content_security_policy(settings)
    app.static("/static", str(STATIC_DIR), name="static")

    @app.middleware("response")  # type: ignore[no-untyped-call]
    async def security_headers(_: Request, reply: HTTPResponse) -> None:
        reply.headers.setdefault("Content-Security-Policy", csp)
        reply.headers.setdefault("X-Content-Type-Options", "nosniff")
        reply.headers.setdefault("Referrer-Policy", "no-referrer")

    @app.get("/")
    async def chat_page(request: Request) -> HTTPResponse:
        current = catalogues.current()
        language = pick_language(current, request.args.get("lang"), request.headers.get("accept-language"))
        page = render_page(current, language, settings.rasa_public_url)
        return response.html(page, headers={"Content-Language": language})

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
