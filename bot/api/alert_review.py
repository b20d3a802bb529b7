"""``/api/v1/alerts/<id>/review``: one alert as the person about to act on it needs it.

The console's review panel reads everything here in one call: the stored alert (every language's text,
regions, times, history), the message each citizen would receive, and the moves this key may make now
(from the lifecycle's transition and permission tables, so the page never decides that itself).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.alerts.lifecycle import LIVE
from bot.alerts.record import AlertRecord
from bot.alerts.service import AlertService
from bot.api.auth import actor_of, require_key
from bot.assistant.alert_messages import pushed_alert
from bot.auth.roles import Actor
from bot.catalogue.bundle import Catalogues


def review_json(
    service: AlertService, catalogues: Catalogues, actor: Actor, record: AlertRecord
) -> dict[str, Any]:
    """The alert, its citizens' messages per language, and what ``actor`` may do with it now."""
    return {
        "alert": record.to_json(),
        "messages": {
            code: pushed_alert(catalogues, code, record.alert) for code in catalogues.languages.codes
        },
        "moves": [move.value for move in service.moves(actor, record)],
        "live": record.status in LIVE,
    }


def create_alert_review_blueprint(
    service: Callable[[], AlertService], catalogues: Callable[[], Catalogues]
) -> Blueprint:
    """The review route; it requires a key like every alert route."""
    bp = Blueprint("alert_review", url_prefix="/api/v1/alerts")
    require_key(bp)

    @bp.get("/<alert_id:str>/review")
    async def review(request: Request, alert_id: str) -> HTTPResponse:
        actor = actor_of(request)
        current = service()

        def build() -> dict[str, Any]:
            return review_json(current, catalogues(), actor, current.get(actor, alert_id))

        return response.json(await asyncio.to_thread(build))

    return bp
