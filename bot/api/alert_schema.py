"""The JSON form of an alert a ministry posts, its schema (also in the OpenAPI document), and checks.

The schema checks shape and CAP vocabulary; :func:`alert_from_body` then checks what depends on the
catalogues (regions, languages, topics) and the clock, and names the field at fault.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from jsonschema import Draft7Validator

from bot.alerts.model import (
    CERTAINTIES,
    MAX_DESCRIPTION,
    MAX_EVENT,
    MAX_HEADLINE,
    MAX_INSTRUCTION,
    MAX_LANGUAGES,
    MAX_REGIONS,
    MAX_TOPICS,
    MAX_WEB,
    SEVERITIES,
    URGENCIES,
    Alert,
    AlertText,
)
from bot.catalogue.alert_topics import CAP_CATEGORIES
from bot.catalogue.bundle import Catalogues

MAX_VALIDITY = timedelta(days=30)

TEXT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["headline", "description", "instruction"],
    "additionalProperties": False,
    "properties": {
        "headline": {"type": "string", "minLength": 1, "maxLength": MAX_HEADLINE},
        "description": {"type": "string", "minLength": 1, "maxLength": MAX_DESCRIPTION},
        "instruction": {"type": "string", "maxLength": MAX_INSTRUCTION},
    },
}

ALERT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["severity", "regions", "texts"],
    "additionalProperties": False,
    "properties": {
        "severity": {"enum": list(SEVERITIES)},
        "urgency": {"enum": list(URGENCIES)},
        "certainty": {"enum": list(CERTAINTIES)},
        "category": {"enum": list(CAP_CATEGORIES)},
        "event": {"type": "string", "maxLength": MAX_EVENT},
        # Repeats are refused by alert_from_body: jsonschema's uniqueItems compares unorderable items
        # pairwise (16,000 objects froze the event loop for seconds).
        "topics": {
            "type": "array",
            "items": {"type": "string", "maxLength": 100},
            "maxItems": MAX_TOPICS,
            "description": "No repeats.",
        },
        "regions": {
            "type": "array",
            "items": {"type": "string", "maxLength": 100},
            "minItems": 1,
            "maxItems": MAX_REGIONS,
            "description": "No repeats.",
        },
        "effective": {"type": "string", "format": "date-time"},
        "expires": {"type": "string", "format": "date-time"},
        "expires_in_hours": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_VALIDITY.days * 24},
        "texts": {
            "type": "object",
            "minProperties": 1,
            "maxProperties": MAX_LANGUAGES,
            "propertyNames": {"maxLength": 20},
            "additionalProperties": TEXT_SCHEMA,
            "description": "Text per language (ISO 639-1 code); the first is the alert's original language.",
        },
        "web": {"type": "string", "maxLength": MAX_WEB, "pattern": "^(https?://.*)?$"},
        "draft": {"type": "boolean", "description": "Keep as a draft instead of submitting at once."},
    },
}

#: Longest note kept with a cancellation.
MAX_CANCEL_NOTE = 500

CANCEL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "note": {"type": "string", "maxLength": MAX_CANCEL_NOTE, "description": "Why (kept in the history)."}
    },
}

_VALIDATOR = Draft7Validator(ALERT_SCHEMA)
_CANCEL = Draft7Validator(CANCEL_SCHEMA)


class AlertInputError(ValueError):
    """A posted alert that cannot be accepted; the message names the field."""


def _where(path: Any) -> str:
    parts = [str(p) for p in path]
    return ".".join(parts) if parts else "the body"


def _time(value: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise AlertInputError(f"{name}: not an ISO 8601 date and time: {value!r}") from error
    if moment.tzinfo is None:
        raise AlertInputError(f"{name}: give a time zone offset (e.g. +03:00 or Z)")
    return moment


def cancel_note(body: Any) -> str:
    """The note of a cancellation body (``{}`` or ``{"note": ...}``); :class:`AlertInputError` otherwise."""
    problem = _first_error(_CANCEL, body)
    if problem:
        raise AlertInputError(problem)
    return str(body.get("note", "")).strip()


def _first_error(validator: Draft7Validator, body: Any) -> str | None:
    """The first schema error, by path; sizes first, so a huge array is refused before its items are
    checked one by one."""
    if isinstance(body, dict):
        for name, most in (("regions", MAX_REGIONS), ("topics", MAX_TOPICS)):
            if isinstance(body.get(name), list) and len(body[name]) > most:
                return f"{name}: at most {most} items, got {len(body[name])}"
    errors = sorted(validator.iter_errors(body), key=lambda e: [str(p) for p in e.path])
    if errors:
        message = errors[0].message
        return f"{_where(errors[0].path)}: {message[:300] + '...' if len(message) > 300 else message}"
    return None


def _repeated(values: list[str], name: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise AlertInputError(f"{name}: {value[:100]!r} is given twice")
        seen.add(value)


def alert_from_body(
    body: Any, catalogues: Catalogues, *, alert_id: str, ministry: str, now: datetime
) -> Alert:
    """The alert a JSON body describes; :class:`AlertInputError` names the first problem."""
    problem = _first_error(_VALIDATOR, body)
    if problem:
        raise AlertInputError(problem)
    _repeated(body["regions"], "regions")
    _repeated(body.get("topics") or [], "topics")
    unknown_regions = [r for r in body["regions"] if r not in catalogues.regions.regions]
    if unknown_regions:
        raise AlertInputError(f"regions: unknown {unknown_regions}; known: {list(catalogues.regions.ids)}")
    unknown_languages = [code for code in body["texts"] if code not in catalogues.languages.codes]
    if unknown_languages:
        raise AlertInputError(
            f"texts: unsupported languages {unknown_languages}; supported: {list(catalogues.languages.codes)}"
        )
    category = body.get("category", "Other")
    topics = tuple(body.get("topics") or catalogues.alert_topics.for_categories((category,)))
    unknown_topics = [t for t in topics if t not in catalogues.alert_topics.ids]
    if unknown_topics:
        raise AlertInputError(f"topics: unknown {unknown_topics}; known: {list(catalogues.alert_topics.ids)}")
    effective = _time(body["effective"], "effective") if "effective" in body else now
    if "expires" in body:
        expires = _time(body["expires"], "expires")
    elif "expires_in_hours" in body:
        expires = effective + timedelta(hours=float(body["expires_in_hours"]))
    else:
        raise AlertInputError("expires: give expires (a date and time) or expires_in_hours")
    if expires <= now:
        raise AlertInputError("expires: the alert would already be over")
    if expires - effective > MAX_VALIDITY:
        raise AlertInputError(
            f"expires: an alert may last at most {MAX_VALIDITY.days} days; send an update instead"
        )
    try:
        return Alert(
            alert_id=alert_id,
            severity=body["severity"],
            urgency=body.get("urgency", "Unknown"),
            certainty=body.get("certainty", "Unknown"),
            category=category,
            regions=tuple(body["regions"]),
            effective=effective,
            expires=expires,
            texts={
                code: AlertText(
                    t["headline"].strip(), t["description"].strip(), t.get("instruction", "").strip()
                )
                for code, t in body["texts"].items()
            },
            sender=ministry,
            topics=topics,
            event=body.get("event", ""),
            web=body.get("web", ""),
        )
    except ValueError as error:
        raise AlertInputError(str(error)) from error
