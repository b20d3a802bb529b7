"""``/api/v1/concerns``: ministries follow and answer the concerns routed to them; analysts read all.

Views are thin: parse the query or body (a JSON schema for the body), call
:class:`~bot.concerns.service.ConcernService` in a thread, serialise. Who may read or change what is
the service's rule, not the view's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.api.auth import actor_of, require_key
from bot.api.bodies import parse_json, query_int
from bot.api.concern_schema import schema_errors
from bot.api.errors import InvalidInput
from bot.auth.roles import Actor
from bot.catalogue.concern_routing import CATEGORIES
from bot.concerns.analysis import export_csv
from bot.concerns.model import Concern, ConcernFilter, ConcernStatus
from bot.concerns.service import ConcernService

MAX_PAGE = 200
#: Furthest a listing pages (an export holds more; a huge offset used to overflow the database's integer).
MAX_OFFSET = 1_000_000


def concern_json(concern: Concern, actor: Actor) -> dict[str, Any]:
    """What ``actor`` may see of a concern."""
    return {
        **concern.redacted_view(),
        "original": concern.original if ConcernService.reads_original(actor, concern) else None,
        "contact_consent": concern.contact_consent,
    }


def _date(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise InvalidInput(f"{name}: not an ISO 8601 date: {value!r}") from error
    return moment


def filters_from(request: Request) -> ConcernFilter:
    """The filters of a list request, as asked (the service holds a ministry's key to its own)."""
    args = request.args
    category = args.get("category")
    if category and category not in CATEGORIES:
        raise InvalidInput(f"category must be one of {list(CATEGORIES)}")
    status = args.get("status")
    if status and status not in {s.value for s in ConcernStatus}:
        raise InvalidInput(f"status must be one of {[s.value for s in ConcernStatus]}")
    return ConcernFilter(
        ministry=args.get("ministry"),
        category=category,
        region=args.get("region"),
        status=status,
        language=args.get("language"),
        since=_date(args.get("since"), "since"),
        until=_date(args.get("until"), "until"),
        text=(args.get("q") or "")[:100] or None,
    )


def _status_change(request: Request) -> tuple[ConcernStatus, str]:
    body = parse_json(request.body or b"{}")
    problem = schema_errors(body)
    if problem:
        raise InvalidInput(problem)
    return ConcernStatus(body["status"]), str(body.get("note") or "").strip()


def create_concerns_blueprint(service: Callable[[], ConcernService]) -> Blueprint:
    """The concerns routes; every one requires a key."""
    bp = Blueprint("concerns", url_prefix="/api/v1/concerns")
    require_key(bp)

    @bp.get("/")
    async def list_concerns(request: Request) -> HTTPResponse:
        actor = actor_of(request)
        limit = query_int(request.args.get("limit"), "limit", 50, 1, MAX_PAGE)
        offset = query_int(request.args.get("offset"), "offset", 0, 0, MAX_OFFSET)
        found, total = await asyncio.to_thread(
            service().find, actor, filters_from(request), limit=limit, offset=offset
        )
        return response.json(
            {"concerns": [concern_json(c, actor) for c in found], "total": total, "offset": offset}
        )

    @bp.get("/stats")
    async def stats(request: Request) -> HTTPResponse:
        """Counts per day or week, by category, region and status."""
        period = request.args.get("period", "day")
        if period not in ("day", "week"):
            raise InvalidInput("period must be day or week")
        return response.json(
            await asyncio.to_thread(service().stats, actor_of(request), filters_from(request), period)
        )

    @bp.get("/rising")
    async def rising(request: Request) -> HTTPResponse:
        """Terms in more reports in the last 7 days than in the 7 before (stop-words left out)."""
        return response.json(
            await asyncio.to_thread(service().rising, actor_of(request), filters_from(request))
        )

    @bp.get("/export.csv")
    async def export(request: Request) -> HTTPResponse:
        """The filtered concerns as CSV (redacted texts; cells never run as formulas)."""
        found = await asyncio.to_thread(service().export, actor_of(request), filters_from(request))
        return response.text(
            export_csv(found),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="concerns.csv"'},
        )

    @bp.get("/<ticket:str>")
    async def read(request: Request, ticket: str) -> HTTPResponse:
        actor = actor_of(request)
        concern, history = await asyncio.to_thread(service().read, actor, ticket)
        return response.json({**concern_json(concern, actor), "history": history})

    @bp.post("/<ticket:str>/status")
    async def change_status(request: Request, ticket: str) -> HTTPResponse:
        actor = actor_of(request)
        await asyncio.to_thread(service().authorise_change, actor, ticket)
        status, note = _status_change(request)
        changed = await asyncio.to_thread(service().change_status, actor, ticket, status, note=note)
        return response.json(concern_json(changed, actor))

    return bp
