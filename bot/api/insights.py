"""``/api/v1/insights``: what analysts learn from conversations: the questions Baraza could not
answer, grouped by similar wording (and as CSV), the share of turns understood per language per day,
and the handoffs to a person (figures per language, channel and desk, and one CSV row per handoff)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.api.auth import actor_of, require_key
from bot.api.errors import InvalidInput
from bot.handoff.figures import Figures, HandoffReport
from bot.insights.service import MAX_DAYS, InsightService
from bot.insights.unanswered import Group


def _days(request: Request) -> int:
    try:
        days = int(request.args.get("days", "30"))
    except ValueError as error:
        raise InvalidInput("days must be a whole number") from error
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"days must be between 1 and {MAX_DAYS}")
    return days


def _group_json(group: Group) -> dict[str, Any]:
    return {
        "example": group.example,
        "count": group.count,
        "languages": list(group.languages),
        "reasons": list(group.reasons),
        "last": group.last.isoformat(),
    }


def _figures_json(figures: Figures) -> dict[str, Any]:
    data = dataclasses.asdict(figures)
    data["rating_distribution"] = {str(k): v for k, v in figures.rating_distribution.items()}
    return data


def _report_json(report: HandoffReport) -> dict[str, Any]:
    return {
        "since": report.since.isoformat(),
        "until": report.until.isoformat(),
        "overall": _figures_json(report.overall),
        **{
            name: {key: _figures_json(f) for key, f in groups.items()}
            for name, groups in (
                ("by_language", report.by_language),
                ("by_channel", report.by_channel),
                ("by_desk", report.by_desk),
            )
        },
    }


def create_insights_blueprint(service: Callable[[], InsightService]) -> Blueprint:
    """The insights routes; every one requires a key (the service lets analysts only)."""
    bp = Blueprint("insights", url_prefix="/api/v1/insights")
    require_key(bp)

    @bp.get("/unanswered")
    async def unanswered(request: Request) -> HTTPResponse:
        language = request.args.get("language") or None
        groups, total = await asyncio.to_thread(
            service().unanswered, actor_of(request), _days(request), language
        )
        return response.json({"groups": [_group_json(g) for g in groups], "total": total})

    @bp.get("/unanswered.csv")
    async def unanswered_csv(request: Request) -> HTTPResponse:
        language = request.args.get("language") or None
        text = await asyncio.to_thread(service().unanswered_csv, actor_of(request), _days(request), language)
        return response.text(
            text,
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="unanswered.csv"'},
        )

    @bp.get("/understood")
    async def understood(request: Request) -> HTTPResponse:
        rows = await asyncio.to_thread(service().understood, actor_of(request), _days(request))
        return response.json({"days": rows})

    @bp.get("/handoffs")
    async def handoffs(request: Request) -> HTTPResponse:
        found = await asyncio.to_thread(service().handoff_figures, actor_of(request), _days(request))
        return response.json(_report_json(found))

    @bp.get("/handoffs.csv")
    async def handoffs_csv(request: Request) -> HTTPResponse:
        text = await asyncio.to_thread(service().handoffs_csv, actor_of(request), _days(request))
        return response.text(
            text,
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="handoffs.csv"'},
        )

    return bp
