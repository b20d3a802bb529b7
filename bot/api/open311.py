"""Open311 GeoReport v2 at ``/open311/v2``: existing Open311 clients file and follow concerns.

As the specification says, reading services and requests needs no key and filing does: a
``reporter`` (or ``admin``) key, sent as ``api_key`` or ``Authorization: Bearer``. The public view of
a request leaves out the texts the citizen typed; a ministry or analyst key that may see the concern
gets them, redacted. Every response is XML or JSON by the resource's extension, errors included.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.api.auth import presented_key
from bot.api.errors import error_document
from bot.api.throttle import authenticate_limited, limit_ticket_lookups
from bot.auth.roles import Actor, Permission
from bot.catalogue.bundle import Catalogues
from bot.catalogue.concern_routing import CATEGORIES
from bot.concerns.model import Concern, ConcernFilter
from bot.concerns.service import ConcernService
from bot.i18n.negotiation import pick_language
from bot.open311.document import FORMATS, render
from bot.open311.repeats import RepeatedPosts, StillFiling, digest
from bot.open311.requests import (
    Form,
    RequestRefused,
    new_concern,
    notice,
    request_records,
    statuses_for,
)
from bot.open311.services import service_definition, service_list

if TYPE_CHECKING:
    from bot.language.identify import LanguageIdentifier

PREFIX = "/open311/v2"
RESOURCE = re.compile(r"^(?P<name>[A-Za-z0-9_-]{1,40})\.(?P<fmt>xml|json)$")
#: GeoReport's response volume: at most this many requests, over at most this many days.
MAX_REQUESTS = 1000
MAX_SPAN = timedelta(days=90)
MAX_IDS = 100
#: Below this confidence the identified language is not trusted; the default language is used.
LANGUAGE_CONFIDENCE = 0.5


def _resource(value: str) -> tuple[str, str]:
    match = RESOURCE.match(value)
    if not match:
        raise RequestRefused(404, "resources end in .xml or .json, e.g. services.xml")
    return match["name"], match["fmt"]


def _document(root: str, body: list[dict[str, Any]] | dict[str, Any], fmt: str) -> HTTPResponse:
    return response.text(render(root, body, fmt), content_type=FORMATS[fmt])


def _w3(value: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise RequestRefused(400, f"{name} must be a w3 date-time, e.g. 2010-01-01T00:00:00Z") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _query(request: Request, now: datetime) -> ConcernFilter:
    """The filters of ``GET requests``; ``service_request_id`` overrides the others."""
    args = request.args
    ids = [i.strip().upper() for i in args.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        if len(ids) > MAX_IDS:
            raise RequestRefused(400, f"at most {MAX_IDS} service_request_id at once")
        return ConcernFilter(tickets=tuple(ids))
    codes = tuple(c.strip() for c in args.get("service_code", "").split(",") if c.strip())
    unknown = [c for c in codes if c not in CATEGORIES]
    if unknown:
        raise RequestRefused(400, f"unknown service_code {unknown[0][:40]!r} (see GET services)")
    wanted = tuple(s.strip().lower() for s in args.get("status", "").split(",") if s.strip())
    if any(s not in ("open", "closed") for s in wanted):
        raise RequestRefused(400, "status must be open or closed (comma separated)")
    until = _w3(args["end_date"][0], "end_date") if args.get("end_date") else now
    since = _w3(args["start_date"][0], "start_date") if args.get("start_date") else until - MAX_SPAN
    if until < since:
        raise RequestRefused(400, "end_date is before start_date")
    if until - since > MAX_SPAN:
        raise RequestRefused(400, "start_date to end_date may span at most 90 days")
    statuses = tuple(s for w in dict.fromkeys(wanted) for s in statuses_for(w))
    return ConcernFilter(categories=codes, statuses=statuses, since=since, until=until)


def _created(concern: Concern, catalogues: Catalogues) -> list[dict[str, Any]]:
    """The answer to a POST that filed ``concern``."""
    return [
        {
            "service_request_id": concern.ticket,
            "service_notice": notice(concern, catalogues),
            "account_id": None,
        }
    ]


def create_open311_blueprint(
    catalogues: Callable[[], Catalogues],
    service: Callable[[], ConcernService],
    identifier: Callable[[], LanguageIdentifier],
    now: Callable[[], datetime],
    authenticate: Callable[[str], Actor | None],
    open311_repeats: Callable[[], RepeatedPosts],
) -> Blueprint:
    """The GeoReport v2 routes."""
    bp = Blueprint("open311", url_prefix=PREFIX)

    @bp.exception(RequestRefused)
    async def refused(request: Request, error: RequestRefused) -> HTTPResponse:
        return error_document(error.status, error.description, request.path)

    async def caller(request: Request) -> Actor | None:
        """The key holder, if a key was sent; a wrong key is refused rather than ignored."""
        key = presented_key(request) or str(request.form.get("api_key", "") if request.form else "")
        key = key or str(request.args.get("api_key", ""))
        if not key:
            return None
        actor = await authenticate_limited(request, key, authenticate)
        if actor is None:
            raise RequestRefused(403, "invalid api_key: unknown or revoked")
        return actor

    def language(request: Request, locale: str | None) -> str:
        """The language of the answer: ``locale``, else the client's Accept-Language, else the default."""
        return pick_language(catalogues().languages, locale, request.headers.get("accept-language"))

    def records(found: list[Concern], actor: Actor | None, lang: str) -> list[dict[str, Any]]:
        """The requests as ``actor`` (None: the public) may read them; runs in a thread (redaction)."""

        def may_see(concern: Concern) -> bool:
            return ConcernService.may_read_texts(actor, concern)

        return request_records(found, catalogues(), lang, may_see, service().redacted)

    def records_for(found: list[Concern], actor: Actor | None, lang: str) -> list[dict[str, Any]]:
        """:func:`records` with the ministry notes as ``actor`` may read them (analysts: redacted)."""
        return records(service().as_read_by(actor, found) if actor else found, actor, lang)

    @bp.get("/<resource:str>")
    async def listing(request: Request, resource: str) -> HTTPResponse:
        name, fmt = _resource(resource)
        lang = language(request, request.args.get("locale"))
        if name == "services":
            return _document("services", service_list(catalogues(), lang), fmt)
        if name != "requests":
            raise RequestRefused(404, f"no resource {name!r}: services and requests are served")
        actor = await caller(request)
        where = _query(request, now())
        await limit_ticket_lookups(request, len(where.tickets))
        if where.tickets:  # by id: only what the public listing shows (the last 90 days)
            where = replace(where, since=now() - MAX_SPAN)
        found = await asyncio.to_thread(service().public_find, where, limit=MAX_REQUESTS)
        return _document("service_requests", await asyncio.to_thread(records_for, found, actor, lang), fmt)

    @bp.get("/services/<resource:str>")
    async def definition(request: Request, resource: str) -> HTTPResponse:
        code, fmt = _resource(resource)
        if code not in CATEGORIES:
            raise RequestRefused(404, f"service_code {code!r} not found (see GET services)")
        lang = language(request, request.args.get("locale"))
        return _document("service_definition", service_definition(catalogues(), lang, code), fmt)

    @bp.get("/requests/<resource:str>")
    async def one(request: Request, resource: str) -> HTTPResponse:
        ticket, fmt = _resource(resource)
        lang = language(request, request.args.get("locale"))
        actor = await caller(request)
        await limit_ticket_lookups(request, 1)
        found = await asyncio.to_thread(service().public_get, ticket, now() - MAX_SPAN)
        if found is None:
            raise RequestRefused(404, f"service_request_id {ticket!r} not found")
        return _document("service_requests", await asyncio.to_thread(records_for, [found], actor, lang), fmt)

    @bp.post("/<resource:str>")
    async def create(request: Request, resource: str) -> HTTPResponse:
        name, fmt = _resource(resource)
        if name != "requests":
            raise RequestRefused(404, "only requests can be created: POST requests.xml")
        if not request.form and request.body:
            raise RequestRefused(400, "send the fields as application/x-www-form-urlencoded")
        actor = await caller(request)
        if actor is None:
            raise RequestRefused(403, "api_key is required to create a request")
        if not actor.may(Permission.FILE_CONCERNS):
            raise RequestRefused(403, f"a {actor.role.value} key may not file requests (reporter keys do)")
        fields = {key: str(values[0]) for key, values in request.form.items() if values}
        form = Form(fields)
        current = catalogues()
        repeats = open311_repeats()
        post = digest(actor.key_id, fields)
        try:
            earlier = await repeats.claim(post)
        except StillFiling:
            raise RequestRefused(503, "the same request is still being filed: try again shortly") from None
        if earlier is not None:
            first = await asyncio.to_thread(service().public_get, earlier)
            if first is not None:  # a retry of a POST already filed: the same answer, nothing filed twice
                return _document("service_requests", _created(first, current), fmt)
            # filed, then deleted since (the citizen's "delete my data"): filed again below

        def language_of(text: str) -> str:
            explicit = current.languages.normalise(form.get("locale"))
            if explicit:
                return explicit
            detected = identifier().identify(text)
            if detected.language and detected.confidence >= LANGUAGE_CONFIDENCE:
                return detected.language
            return language(request, None)

        def file_once() -> Concern:
            """File and remember the ticket, in one thread: it runs to the end even if the client
            goes away meanwhile, so its retry finds the ticket."""
            try:
                filed = service().file(new_concern(form, current, language_of))
            except Exception:
                repeats.failed(post)  # nothing filed: a retry files it
                raise
            repeats.filed(post, filed.ticket)
            return filed

        filed = await asyncio.to_thread(file_once)
        return _document("service_requests", _created(filed, current), fmt)

    return bp
