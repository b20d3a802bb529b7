"""Authentication of API requests: every ``/api/`` route needs a ministry key.

The check is a blueprint middleware, not a per-route decorator, so a new route cannot forget it; an
architecture test calls every route without a key and expects 401.
"""

from __future__ import annotations

from collections.abc import Callable

from sanic import Blueprint
from sanic.request import Request

from bot.api.errors import ApiError
from bot.api.throttle import authenticate_limited
from bot.auth.roles import Actor, Permission

#: Who holds a key: the key's actor, or None when it is unknown or revoked.
Authenticate = Callable[[str], Actor | None]

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="baraza"'}


def presented_key(request: Request) -> str:
    """The key sent as ``Authorization: Bearer <key>`` or ``X-API-Key``."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return str(header[7:]).strip()
    return str(request.headers.get("x-api-key", "")).strip()


def refusal(actor: Actor, permission: Permission) -> str:
    """Why ``actor``'s key may not open a blueprint that needs ``permission``."""
    if actor.may(Permission.ANSWER_CITIZENS):
        return "an agent key opens only the handoff inbox (/api/v1/handoffs)"
    if permission is Permission.ANSWER_CITIZENS:
        return "only an agent key opens the handoff inbox"
    return f"a {actor.role.value} key may only file concerns through Open311"


def require_key(blueprint: Blueprint, permission: Permission = Permission.READ) -> None:
    """Make every route of ``blueprint`` refuse requests without a valid key (401), checked by the
    app's ``ctx.authenticate``, and keys whose role lacks ``permission`` (403)."""

    @blueprint.on_request
    async def authenticate(request: Request) -> None:
        key = presented_key(request)
        if not key:
            raise ApiError(
                401, "this API needs a ministry key: send 'Authorization: Bearer <key>'", CHALLENGE
            )
        check: Authenticate = request.app.ctx.authenticate
        actor = await authenticate_limited(request, key, check)
        if actor is None:
            raise ApiError(401, "the API key is unknown or revoked", CHALLENGE)
        if not actor.may(permission):
            raise ApiError(403, refusal(actor, permission))
        request.ctx.actor = actor


def actor_of(request: Request) -> Actor:
    """The authenticated caller (set by :func:`require_key`)."""
    actor: Actor = request.ctx.actor
    return actor


def account_of(actor: Actor) -> dict[str, object]:
    """What ``GET .../me`` tells about the key in hand (never the key itself)."""
    return {
        "key_id": actor.key_id,
        "ministry": actor.ministry,
        "role": actor.role.value,
        "name": actor.name,
        "person": actor.person,
    }
