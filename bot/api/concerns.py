"""``/api/v1/concerns``: ministries follow and answer the concerns routed to them; analysts read all.

A ministry's key sees its own concerns, with the original text where the citizen agreed to be
contacted; an analyst's key sees every ministry's, redacted only. Status changes are recorded with
who, when, from, to and the note, and the citizen is told on their channel.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.api.auth import actor_of, require_key
from bot.api.errors import ApiError, InvalidInput
from bot.auth.roles import Actor, Permission
from bot.concerns.analysis import counts_over_time, export_csv, rising_terms
from bot.concerns.model import CATEGORIES, Concern, ConcernStatus
from bot.concerns.service import ConcernService
from bot.concerns.store import ConcernFilter, ConcernNotFound, StatusChangeRefused

MAX_PAGE = 200
#: Most rows one export holds (filter by dates for more).
EXPORT_LIMIT = 50_000
MAX_NOTE = 1000


def concern_json(concern: Concern, actor: Actor) -> dict[str, Any]:
    """What ``actor`` may see of a concern."""
    own = actor.ministry == concern.ministry and not actor.may(Permission.READ_ALL_MINISTRIES)
    return {
        **concern.redacted_view(),
        "original": concern.original if own else None,
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


def filters_from(request: Request, actor: Actor) -> ConcernFilter:
    """The filters of a list request; a ministry's key is held to its own concerns."""
    args = request.args
    ministry = args.get("ministry")
    if not actor.may(Permission.READ_ALL_MINISTRIES):
        if ministry and ministry != actor.ministry:
            raise ApiError(403, "a ministry key reads only its own ministry's concerns")
        ministry = actor.ministry
    category = args.get("category")
    if category and category not in CATEGORIES:
        raise InvalidInput(f"category must be one of {list(CATEGORIES)}")
    status = args.get("status")
    if status and status not in {s.value for s in ConcernStatus}:
        raise InvalidInput(f"status must be one of {[s.value for s in ConcernStatus]}")
    return ConcernFilter(
        ministry=ministry,
        category=category,
        region=args.get("region"),
        status=status,
        language=args.get("language"),
        since=_date(args.get("since"), "since"),
        until=_date(args.get("until"), "until"),
        text=(args.get("q") or "")[:100] or None,
    )


def create_concerns_blueprint(service: Callable[[], ConcernService]) -> Blueprint:
    """The concerns routes; every one requires a key."""
    bp = Blueprint("concerns", url_prefix="/api/v1/concerns")
    require_key(bp)

    def visible(actor: Actor, ticket: str) -> Concern:
        try:
            concern = service().store.get(ticket)
        except ConcernNotFound as error:
            raise ApiError(404, f"no concern {ticket}") from error
        if not actor.may_see(concern.ministry):
            raise ApiError(403, "this concern belongs to another ministry")
        return concern

    @bp.get("/")
    async def list_concerns(request: Request) -> HTTPResponse:
        actor = actor_of(request)
        where = filters_from(request, actor)
        try:
            limit = min(MAX_PAGE, max(1, int(request.args.get("limit", "50"))))
            offset = max(0, int(request.args.get("offset", "0")))
        except ValueError as error:
            raise InvalidInput("limit and offset must be integers") from error
        found, total = await asyncio.to_thread(service().store.find, where, limit=limit, offset=offset)
        return response.json(
            {"concerns": [concern_json(c, actor) for c in found], "total": total, "offset": offset}
        )

    @bp.get("/stats")
    async def stats(request: Request) -> HTTPResponse:
        """Counts per day or week, by category, region and status."""
        actor = actor_of(request)
        period = request.args.get("period", "day")
        if period not in ("day", "week"):
            raise InvalidInput("period must be day or week")
        rows = await asyncio.to_thread(service().store.daily_counts, filters_from(request, actor))
        return response.json({"period": period, "series": counts_over_time(rows, period)})

    @bp.get("/rising")
    async def rising(request: Request) -> HTTPResponse:
        """Terms in more reports in the last 7 days than in the 7 before."""
        actor = actor_of(request)
        base = filters_from(request, actor)
        now = datetime.now(timezone.utc)
        this_week = replace(base, since=now - timedelta(days=7), until=now)
        last_week = replace(base, since=now - timedelta(days=14), until=now - timedelta(days=7))
        recent = await asyncio.to_thread(service().store.descriptions, this_week)
        earlier = await asyncio.to_thread(service().store.descriptions, last_week)
        return response.json({"terms": rising_terms(recent, earlier)})

    @bp.get("/export.csv")
    async def export(request: Request) -> HTTPResponse:
        """The filtered concerns as CSV (redacted texts; cells never run as formulas)."""
        actor = actor_of(request)
        found, _ = await asyncio.to_thread(
            service().store.find, filters_from(request, actor), limit=EXPORT_LIMIT
        )
        return response.text(
            export_csv(found),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="concerns.csv"'},
        )

    @bp.get("/<ticket:str>")
    async def read(request: Request, ticket: str) -> HTTPResponse:
        actor = actor_of(request)
        concern = await asyncio.to_thread(visible, actor, ticket)
        history = await asyncio.to_thread(service().store.history, ticket)
        return response.json({**concern_json(concern, actor), "history": history})

    @bp.post("/<ticket:str>/status")
    async def change_status(request: Request, ticket: str) -> HTTPResponse:
        actor = actor_of(request)
        if not actor.may(Permission.WRITE):
            raise ApiError(403, f"the {actor.role.value} role may not change concerns")
        concern = await asyncio.to_thread(visible, actor, ticket)
        if concern.ministry != actor.ministry:
            raise ApiError(403, "only the ministry the concern was routed to may change it")
        try:
            body = json.loads(request.body or b"{}")
        except ValueError as error:
            raise ApiError(400, f"the body is not valid JSON: {error}") from error
        if not isinstance(body, dict) or body.get("status") not in {s.value for s in ConcernStatus}:
            raise InvalidInput(f"status must be one of {[s.value for s in ConcernStatus]}")
        note = str(body.get("note") or "").strip()
        if len(note) > MAX_NOTE:
            raise InvalidInput(f"note: at most {MAX_NOTE} characters")
        try:
            changed = await asyncio.to_thread(
                service().change_status, ticket, ConcernStatus(body["status"]), actor=actor.key_id, note=note
            )
        except StatusChangeRefused as error:
            raise ApiError(409, str(error)) from error
        return response.json(concern_json(changed, actor))

    return bp
