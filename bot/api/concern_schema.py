"""The JSON bodies of the concerns API and their schemas (also in the OpenAPI document)."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft7Validator

from bot.concerns.model import ConcernStatus

#: Longest note a ministry writes to the citizen.
MAX_NOTE = 1000

STATUS_CHANGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["status"],
    "additionalProperties": False,
    "properties": {
        "status": {"enum": [s.value for s in ConcernStatus]},
        "note": {"type": "string", "maxLength": MAX_NOTE, "description": "Shown to the citizen."},
    },
}

_STATUS_CHANGE = Draft7Validator(STATUS_CHANGE_SCHEMA)


def schema_errors(body: Any) -> str | None:
    """What is wrong with a status change body, naming the field; None when it is valid."""
    for error in sorted(_STATUS_CHANGE.iter_errors(body), key=lambda e: list(e.path)):
        where = ".".join(str(p) for p in error.path)
        if error.validator == "enum" and where == "status":
            return f"status must be one of {[s.value for s in ConcernStatus]}"
        if error.validator == "maxLength" and where == "note":
            return f"note: at most {MAX_NOTE} characters"
        return f"{where or 'body'}: {error.message}"
    return None
