"""Rate limits of the ministry API and Open311, checked before any work (:mod:`bot.limits`).

Every request to ``/api/`` and ``/open311/`` takes a token of its network address's bucket; a request
with a valid key also takes one of the key's; a wrong or revoked key counts against its address, and
an address that tried too many is locked out (every key it sends refused, the right one too, until
the lockout ends). Refusals are 429 with ``Retry-After``, in the route's format.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sanic import Sanic
from sanic.request import Request

from bot.api.errors import TooFast
from bot.auth.roles import Actor
from bot.limits.buckets import Decision
from bot.limits.guard import Guard

LIMITED_PATHS = ("/api/", "/open311/")


def client_address(request: Request) -> str:
    """The caller's network address (the proxy's forwarded one when Sanic is told to trust it)."""
    return str(request.remote_addr or request.ip or "")


def _guard(request: Request) -> Guard:
    guard: Guard = request.app.ctx.guard()
    return guard


def _refuse(decision: Decision, what: str) -> TooFast:
    return TooFast(decision.retry_after_header, f"{what}: try again in {decision.retry_after_header} s")


def install_rate_limits(app: Sanic) -> None:
    """Limit every API and Open311 request per network address."""

    @app.on_request
    async def per_address(request: Request) -> None:
        if request.path.startswith(LIMITED_PATHS):
            decision = await _guard(request).api_request(client_address(request))
            if not decision.allowed:
                raise _refuse(decision, "too many requests from your address")


async def authenticate_limited(
    request: Request, key: str, authenticate: Callable[[str], Actor | None]
) -> Actor | None:
    """The holder of ``key`` (None: unknown or revoked), behind the lockout and the per-key limit."""
    guard = _guard(request)
    address = client_address(request)
    locked = await guard.locked_out(address)
    if not locked.allowed:
        raise _refuse(locked, "too many wrong keys were sent from your address")
    actor = await asyncio.to_thread(authenticate, key)
    if actor is None:
        await guard.failed_key(address)
        return None
    per_key = await guard.api_key(actor.key_id)
    if not per_key.allowed:
        raise _refuse(per_key, "too many requests with this key")
    return actor


async def limit_ticket_lookups(request: Request, count: int) -> None:
    """``count`` tickets looked up by id (Open311): refused when the address or everyone asked too many."""
    decision = await _guard(request).ticket_lookups(client_address(request), count)
    if not decision.allowed:
        raise _refuse(decision, "too many tickets looked up")
