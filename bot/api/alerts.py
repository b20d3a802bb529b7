"""``/api/v1/alerts``: ministries create, read, approve, update and cancel alerts, as JSON or CAP 1.2.

Views are thin: parse and validate the body, call :class:`~bot.alerts.service.AlertService` (in a
thread: the services are synchronous, shared with the workers), serialise the result.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.alerts.cap import MEDIA_TYPE, parse_cap, write_cap
from bot.alerts.lifecycle import Status
from bot.alerts.model import Alert
from bot.alerts.record import AlertRecord
from bot.alerts.service import AlertService, new_alert_id
from bot.api.alert_schema import AlertInputError, alert_from_body, cancel_note
from bot.api.auth import account_of, actor_of, require_key
from bot.api.bodies import parse_json, query_int, query_number
from bot.api.errors import ApiError, InvalidInput
from bot.assistant.alert_messages import pushed_alert
from bot.catalogue.bundle import Catalogues

T = TypeVar("T")
MAX_PAGE = 200


async def _call(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return await asyncio.to_thread(function, *args, **kwargs)


def _is_cap(request: Request) -> bool:
    kind = (request.content_type or "").split(";")[0].strip().lower()
    return kind in (MEDIA_TYPE, "application/xml", "text/xml")


def _wants_cap(request: Request) -> bool:
    return MEDIA_TYPE in (request.headers.get("accept") or "")


def _json_body(request: Request) -> Any:
    kind = (request.content_type or "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise ApiError(
            415, f"send the alert as application/json or {MEDIA_TYPE}, not {kind or 'no content type'}"
        )
    if not request.body:
        raise InvalidInput("the request body is empty")
    return parse_json(request.body)


def _alert(body: Any, catalogues: Catalogues, alert_id: str, ministry: str, now: Any) -> Alert:
    """The alert of a JSON body (run in a thread: checking a large body takes time)."""
    try:
        return alert_from_body(body, catalogues, alert_id=alert_id, ministry=ministry, now=now)
    except AlertInputError as error:
        raise InvalidInput(str(error)) from error


def _optional_json(request: Request) -> dict[str, Any]:
    if not request.body:
        return {}
    body = _json_body(request)
    if not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object")
    return body


def create_alerts_blueprint(
    service: Callable[[], AlertService],
    catalogues: Callable[[], Catalogues],
    clock: Callable[[], Any],
) -> Blueprint:
    """The alerts routes; every one requires a key."""
    bp = Blueprint("alerts", url_prefix="/api/v1/alerts")
    require_key(bp)

    def represent(request: Request, record: AlertRecord, status: int = 200) -> HTTPResponse:
        if _wants_cap(request):
            body = write_cap(service().cap_of(record))
            return response.raw(body, status=status, content_type=f"{MEDIA_TYPE}; charset=utf-8")
        return response.json(record.to_json(), status=status)

    @bp.get("/")
    async def list_alerts(request: Request) -> HTTPResponse:
        limit = query_int(request.args.get("limit"), "limit", 50, 1, MAX_PAGE)
        before = query_number(request.args.get("before"), "before")
        wanted = request.args.get("status")
        if wanted and wanted not in {s.value for s in Status}:
            raise InvalidInput(f"status must be one of {[s.value for s in Status]}")
        status = Status(wanted) if wanted else None
        records = await _call(
            service().list_alerts, actor_of(request), limit=limit, before=before, status=status
        )
        next_before = records[-1].created_at.timestamp() if len(records) == limit else None
        return response.json({"alerts": [r.to_json() for r in records], "next_before": next_before})

    @bp.post("/")
    async def create_alert(request: Request) -> HTTPResponse:
        actor = actor_of(request)
        draft = request.args.get("draft", "false").lower() == "true"
        if _is_cap(request):
            message = await _call(parse_cap, request.body)
            record = await _call(service().create_from_cap, actor, message, draft=draft)
        else:
            body = await _call(_json_body, request)
            draft = draft or bool(isinstance(body, dict) and body.pop("draft", False))
            alert = await _call(_alert, body, catalogues(), new_alert_id(), actor.ministry, clock())
            record = await _call(service().create, actor, alert, draft=draft)
        return represent(request, record, status=201)

    @bp.post("/preview")
    async def preview(request: Request) -> HTTPResponse:
        """The alert as each citizen would receive it, per language (nothing is stored)."""
        actor = actor_of(request)
        body = await _call(_json_body, request)
        if isinstance(body, dict):
            body.pop("draft", None)
        current = catalogues()
        alert = await _call(_alert, body, current, "preview", actor.ministry, clock())
        return response.json(
            {"messages": {code: pushed_alert(current, code, alert) for code in current.languages.codes}}
        )

    @bp.get("/<alert_id:str>")
    async def read_alert(request: Request, alert_id: str) -> HTTPResponse:
        return represent(request, await _call(service().get, actor_of(request), alert_id))

    @bp.get("/<alert_id:str>/progress")
    async def progress(request: Request, alert_id: str) -> HTTPResponse:
        record, delivery, cancellation = await _call(service().progress, actor_of(request), alert_id)
        return response.json(
            {
                "id": alert_id,
                "status": record.status.value,
                "deliveries": delivery.to_json(),
                "cancellation_notices": cancellation.to_json(),
            }
        )

    @bp.post("/<alert_id:str>/submit")
    async def submit(request: Request, alert_id: str) -> HTTPResponse:
        return represent(request, await _call(service().submit, actor_of(request), alert_id))

    @bp.post("/<alert_id:str>/approve")
    async def approve(request: Request, alert_id: str) -> HTTPResponse:
        return represent(request, await _call(service().approve, actor_of(request), alert_id))

    @bp.post("/<alert_id:str>/cancel")
    async def cancel(request: Request, alert_id: str) -> HTTPResponse:
        try:
            note = cancel_note(_optional_json(request))
        except AlertInputError as error:
            raise InvalidInput(str(error)) from error
        return represent(request, await _call(service().cancel, actor_of(request), alert_id, note=note))

    @bp.post("/<alert_id:str>/update")
    async def update(request: Request, alert_id: str) -> HTTPResponse:
        actor = actor_of(request)
        await _call(service().authorise_write, actor, alert_id)
        body = await _call(_json_body, request)
        draft = bool(isinstance(body, dict) and body.pop("draft", False))
        content = await _call(_alert, body, catalogues(), new_alert_id(), actor.ministry, clock())
        record = await _call(service().update, actor, alert_id, content, draft=draft)
        return represent(request, record, status=201)

    return bp


def create_account_blueprint() -> Blueprint:
    """``/api/v1/me``: who a key belongs to (the console checks a key with it)."""
    bp = Blueprint("account", url_prefix="/api/v1/me")
    require_key(bp)

    @bp.get("/")
    async def me(request: Request) -> HTTPResponse:
        return response.json(account_of(actor_of(request)))

    return bp
