"""Bodies and query numbers that used to reach the client as a 500 or a false 503."""

from __future__ import annotations

import pytest

from bot.api.bodies import MAX_DEPTH, parse_json, query_int, query_number
from bot.api.errors import ApiError, InvalidInput


def test_deeply_nested_json_is_a_400_not_a_crash() -> None:
    for depth in (MAX_DEPTH + 1, 100_000):
        with pytest.raises(ApiError, match="nested deeper") as refused:
            parse_json(b"[" * depth + b"]" * depth)
        assert refused.value.status == 400
    assert parse_json(b'{"a": [[{"b": 1}]]}') == {"a": [[{"b": 1}]]}


def test_invalid_json_is_a_400() -> None:
    with pytest.raises(ApiError, match="not valid JSON") as refused:
        parse_json(b"{nope")
    assert refused.value.status == 400


def test_query_numbers_are_finite_and_in_range() -> None:
    assert query_int("999999999999999999999", "offset", 0, 0, 1000) == 1000
    assert query_int(None, "limit", 50, 1, 200) == 50
    assert query_int("-5", "limit", 50, 1, 200) == 1
    with pytest.raises(InvalidInput):
        query_int("9" * 5000, "offset", 0, 0, 1000)
    with pytest.raises(InvalidInput):
        query_int("ten", "limit", 50, 1, 200)
    assert query_number("1700000000.5", "before") == 1700000000.5
    for bad in ("nan", "inf", "-inf", "1e400", "x"):
        with pytest.raises(InvalidInput):
            query_number(bad, "before")
