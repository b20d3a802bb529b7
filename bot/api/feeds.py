"""Public feeds of the alerts in force, for aggregators: Atom (with links to each CAP message) and CAP.

No key is needed: these are the same alerts every citizen may read. Only live alerts are shown;
drafts and alerts awaiting approval never appear.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from lxml import etree
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.alerts.cap import MEDIA_TYPE, write_cap
from bot.alerts.record import AlertRecord
from bot.alerts.service import AlertService
from bot.api.errors import ApiError
from bot.catalogue.bundle import Catalogues

ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(
    records: list[AlertRecord], catalogues: Catalogues, base_url: str, language: str, now: datetime
) -> bytes:
    """An Atom feed with one entry per alert, linking to its CAP message."""
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})  # type: ignore[dict-item]
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", language)

    def add(parent: etree._Element, name: str, text: str = "", **attributes: str) -> etree._Element:
        element = etree.SubElement(parent, f"{{{ATOM}}}{name}", attrib=attributes)
        if text:
            element.text = text
        return element

    add(feed, "id", f"{base_url}/feeds/alerts.atom")
    add(feed, "title", "Baraza – alerts in force")
    add(feed, "updated", max((r.cap_sent for r in records), default=now).isoformat())
    add(feed, "link", rel="self", href=f"{base_url}/feeds/alerts.atom", type="application/atom+xml")
    for record in records:
        text, _ = record.alert.text_for(language)
        entry = add(feed, "entry")
        add(entry, "id", f"urn:baraza:alert:{record.alert_id}")
        add(entry, "title", text.headline)
        add(entry, "updated", record.cap_sent.isoformat())
        author = add(entry, "author")
        add(author, "name", catalogues.locales[language].ministry_names.get(record.ministry, record.ministry))
        add(entry, "summary", text.description)
        add(
            entry,
            "link",
            rel="alternate",
            type=MEDIA_TYPE,
            href=f"{base_url}/feeds/alerts/{record.alert_id}.cap",
        )
        for region in record.alert.regions:
            add(entry, "category", term=region, label=catalogues.regions.name(region, language))
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def create_feeds_blueprint(
    service: Callable[[], AlertService],
    catalogues: Callable[[], Catalogues],
    clock: Callable[[], datetime],
    public_url: Callable[[], str],
) -> Blueprint:
    """The public feed routes; links start with ``public_url()`` (the setting, never the Host header,
    which any client can set: a cache in front would serve its links to everyone)."""
    bp = Blueprint("feeds", url_prefix="/feeds")

    @bp.get("/alerts.atom")
    async def atom(request: Request) -> HTTPResponse:
        current = catalogues()
        language = request.args.get("lang", current.languages.default)
        if language not in current.languages.codes:
            raise ApiError(400, f"lang must be one of {list(current.languages.codes)}")
        records = await asyncio.to_thread(service().in_force, clock())
        base = public_url().rstrip("/")
        body = atom_feed(records, current, base, language, clock())
        return response.raw(
            body, content_type="application/atom+xml; charset=utf-8", headers={"Cache-Control": "max-age=60"}
        )

    @bp.get("/alerts/<filename:str>")
    async def cap(_: Request, filename: str) -> HTTPResponse:
        alert_id, dot, extension = filename.rpartition(".")
        if not dot or extension != "cap":
            raise ApiError(404, "alerts are published as /feeds/alerts/<id>.cap")
        record = await asyncio.to_thread(service().published, alert_id)
        if record is None:
            raise ApiError(404, f"no alert {alert_id} is in force")
        body = write_cap(service().cap_of(record))
        return response.raw(
            body, content_type=f"{MEDIA_TYPE}; charset=utf-8", headers={"Cache-Control": "max-age=60"}
        )

    return bp
