"""Reading request bodies and query numbers without letting a caller make the server work hard or fail.

JSON is parsed with a bounded nesting depth (Python's parser raises ``RecursionError`` on 100,000
nested arrays, which used to reach the client as a 500), and numbers from the query string are
finite and within range (``before=nan`` used to reach Redis and come back as "store unavailable").
"""

from __future__ import annotations

import json
import math
from typing import Any

from bot.api.errors import ApiError, InvalidInput

#: Deepest nesting of a JSON body (an alert is four levels deep).
MAX_DEPTH = 16


def _too_deep(value: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def parse_json(raw: bytes) -> Any:
    """The JSON value of ``raw``; :class:`ApiError` 400 when it is not JSON or nested too deep."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise ApiError(400, f"the body is nested deeper than {MAX_DEPTH} levels") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(400, f"the body is not valid JSON: {str(error)[:200]}") from None
    if _too_deep(value, MAX_DEPTH):
        raise ApiError(400, f"the body is nested deeper than {MAX_DEPTH} levels")
    return value


def query_int(raw: str | None, name: str, default: int, lowest: int, highest: int) -> int:
    """A whole number from the query string, clamped to ``lowest..highest``; 422 if not a number."""
    if raw is None or raw == "":
        return default
    if len(raw) > 40:  # int() of a huge digit string is slow and says nothing more
        raise InvalidInput(f"{name} must be a whole number between {lowest} and {highest}")
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(f"{name} must be a whole number") from None
    return min(highest, max(lowest, value))


def query_number(raw: str | None, name: str) -> float | None:
    """A finite number from the query string, or None when absent; 422 otherwise."""
    if raw is None or raw == "":
        return None
    try:
        value = float(raw[:40])
    except ValueError:
        raise InvalidInput(f"{name} must be a number") from None
    if not math.isfinite(value) or abs(value) > 1e12:
        raise InvalidInput(f"{name} must be a finite number (a time in seconds since 1970)")
    return value
