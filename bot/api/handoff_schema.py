"""The bodies of the inbox's acts (``/api/v1/handoffs/<id>/...``), as documented in the OpenAPI
document; bot/api/handoffs.py checks the same rules."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft7Validator

from bot.handoff.inbox import MAX_NOTE, MAX_REPLY
from bot.handoff.model import EndReason

REPLY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text"],
    "properties": {"text": {"type": "string", "minLength": 1, "maxLength": MAX_REPLY}},
}
TRANSFER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["desk"],
    "properties": {
        "desk": {"type": "string", "description": "a desk of config/catalogue/desks.yml"},
        "note": {"type": "string", "maxLength": MAX_NOTE, "description": "for the next person"},
    },
}
END_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["reason"],
    "properties": {"reason": {"enum": [r.value for r in EndReason]}},
}


def body_errors(schema: dict[str, Any], body: Any) -> str | None:
    """What is wrong with an act's body, naming the field; None when it is valid."""
    for error in sorted(Draft7Validator(schema).iter_errors(body), key=lambda e: list(e.path)):
        where = ".".join(str(p) for p in error.path)
        if error.validator == "enum":
            return f"{where}: must be one of {error.validator_value}"
        return f"{where or 'body'}: {error.message}"
    return None
