"""GeoReport service requests: a POST form becomes a :class:`NewConcern`; a concern becomes a request.

What the public may read of a request is its reference, service, status, public note, responsible
office, dates and region. The description and the address the citizen typed (redacted) are shown only
to a ministry or analyst key that may see the concern, as in the concerns API.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from bot.catalogue.bundle import Catalogues
from bot.catalogue.concern_routing import CATEGORIES, TRIAGE
from bot.concerns.model import Concern, ConcernStatus, NewConcern
from bot.open311.services import CONSENT, NO, REGION, YES

#: GeoReport's limit on a description.
MAX_DESCRIPTION = 4000
MAX_FIELD = 200
MAX_MEDIA_URL = 2000
MEDIA_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
CHANNEL = "open311"
CLOSED = frozenset({ConcernStatus.RESOLVED, ConcernStatus.CLOSED})


class RequestRefused(ValueError):
    """A request the API cannot accept: the HTTP status and the description returned to the client."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def w3_datetime(moment: datetime) -> str:
    """GeoReport's date format: ISO 8601 with the zone (UTC, ``Z``)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def open311_status(status: ConcernStatus) -> str:
    """GeoReport has two statuses: open (reported, being handled) and closed (resolved or closed)."""
    return "closed" if status in CLOSED else "open"


def statuses_for(open311: str) -> tuple[str, ...]:
    """Our statuses behind a GeoReport status."""
    return tuple(s.value for s in ConcernStatus if open311_status(s) == open311)


#: Control characters (other than tab and line breaks) have no place in a report and are not valid XML.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class Form:
    """A POST form: the first value of each field."""

    fields: Mapping[str, str]

    def get(self, name: str) -> str:
        """A field's value without control characters, stripped; empty when absent."""
        return _CONTROL.sub("", self.fields.get(name, "")).strip()


def _coordinate(form: Form, name: str, bound: float) -> float:
    try:
        value = float(form.get(name))
    except ValueError as error:
        raise RequestRefused(400, f"{name} must be a number (WGS84 degrees)") from error
    if not -bound <= value <= bound:
        raise RequestRefused(400, f"{name} must be between -{bound:g} and {bound:g}")
    return value


def _place(form: Form) -> str:
    """The location as text: the address typed, else the coordinates, else the address id."""
    address = form.get("address_string")
    has_coordinates = bool(form.get("lat") or form.get("long"))
    if has_coordinates:
        if not (form.get("lat") and form.get("long")):
            raise RequestRefused(400, "lat and long must be sent together")
        lat, long = _coordinate(form, "lat", 90), _coordinate(form, "long", 180)
        if not address:
            return f"{lat:.5f}, {long:.5f}"
    if address:
        return address[:MAX_FIELD]
    if form.get("address_id"):
        return form.get("address_id")[:MAX_FIELD]
    raise RequestRefused(400, "a location is required: lat and long, address_string or address_id")


def _consent(form: Form) -> bool:
    """Consent as the client states it; without it, giving an e-mail or phone number is consent."""
    stated = form.get(f"attribute[{CONSENT}]").lower()
    if stated in (YES, "true", "1"):
        return True
    if stated in (NO, "false", "0"):
        return False
    if stated:
        raise RequestRefused(400, f"attribute[{CONSENT}] must be {YES} or {NO}")
    return bool(form.get("email") or form.get("phone"))


def _media_url(form: Form) -> str:
    """The photo or video the client attached, as a link (http or https only)."""
    url = form.get("media_url")
    if not url:
        return ""
    if len(url) > MAX_MEDIA_URL or not MEDIA_URL.fullmatch(url):
        raise RequestRefused(
            400, f"media_url must be an http or https address of at most {MAX_MEDIA_URL} characters"
        )
    return url


def _contact(form: Form) -> str:
    """Who reported, and the media they attached (a photo may show people): kept with the original."""
    name = " ".join(part for part in (form.get("first_name"), form.get("last_name")) if part)
    details = [part[:MAX_FIELD] for part in (name, form.get("email"), form.get("phone")) if part]
    media = _media_url(form)
    return " · ".join([*details, *([f"media_url: {media}"] if media else [])])


def new_concern(form: Form, catalogues: Catalogues, language_of: Callable[[str], str]) -> NewConcern:
    """The concern a POST form files; :class:`RequestRefused` names what is wrong with it."""
    code = form.get("service_code")
    if not code:
        raise RequestRefused(400, "service_code is required (see GET services)")
    if code not in CATEGORIES:
        raise RequestRefused(404, f"service_code {code[:40]!r} not found (see GET services)")
    description = form.get("description")
    if not any(char.isalnum() for char in description.replace("\ufffd", "")):
        raise RequestRefused(400, "description is required: what is the problem? (in words)")
    if len(description) > MAX_DESCRIPTION:
        raise RequestRefused(400, f"description: at most {MAX_DESCRIPTION} characters")
    place = _place(form)
    language = language_of(description)
    region = form.get(f"attribute[{REGION}]")
    if region and region not in catalogues.regions.regions:
        raise RequestRefused(400, f"attribute[{REGION}] must be one of {list(catalogues.regions.ids)}")
    if not region:
        address_id = form.get("address_id")
        region = address_id if address_id in catalogues.regions.regions else ""
    if not region:
        region = catalogues.regions.find_in_text(place, language) or ""
    consent = _consent(form)
    contact = _contact(form)  # checked even when it is not kept
    return NewConcern(
        category=code,
        description=description,
        region=region,
        place=place,
        language=language,
        channel=CHANNEL,
        subscriber="",
        contact_consent=consent,
        contact=contact if consent else "",
    )


def notice(concern: Concern, catalogues: Catalogues) -> str:
    """What the citizen is told once the request is filed, in the request's language."""
    locale = catalogues.locales[concern.language]
    if concern.ministry == TRIAGE:
        return locale.text("open311_notice_triage", ticket=concern.ticket)
    ministry = locale.ministry_names.get(concern.ministry, concern.ministry)
    return locale.text("open311_notice", ministry=ministry, ticket=concern.ticket)


def request_record(
    concern: Concern, catalogues: Catalogues, language: str, *, with_texts: bool
) -> dict[str, Any]:
    """A concern as a GeoReport request, in the order of the specification's example."""
    locale = catalogues.locales[language]
    region = catalogues.regions.name(concern.region, language) if concern.region else ""
    address = ", ".join(part for part in (concern.place if with_texts else "", region) if part)
    return {
        "service_request_id": concern.ticket,
        "status": open311_status(concern.status),
        "status_notes": concern.public_note or None,
        "service_name": locale.concern_category_names.get(concern.category, concern.category),
        "service_code": concern.category,
        "description": concern.description if with_texts else None,
        "agency_responsible": (
            None if concern.ministry == TRIAGE else locale.ministry_names.get(concern.ministry)
        ),
        "service_notice": None,
        "requested_datetime": w3_datetime(concern.created_at),
        "updated_datetime": w3_datetime(concern.updated_at),
        "expected_datetime": None,
        "address": address or None,
        "address_id": concern.region or None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def request_records(
    found: list[Concern],
    catalogues: Catalogues,
    language: str,
    may_see: Callable[[Concern], bool],
    redact: Callable[[str], str],
) -> list[dict[str, Any]]:
    """Concerns as GeoReport requests for one reader: texts only where ``may_see``; elsewhere the
    ministry's note redacted (it is written to the citizen: "we will call you on ...")."""
    records = []
    for concern in found:
        shown = may_see(concern)
        if not shown and concern.public_note:
            concern = replace(concern, public_note=redact(concern.public_note))
        records.append(request_record(concern, catalogues, language, with_texts=shown))
    return records
