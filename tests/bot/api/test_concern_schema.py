"""The status change a ministry posts for a concern: what is wrong is named, field by field."""

from __future__ import annotations

from bot.api.concern_schema import MAX_NOTE, schema_errors


def test_a_valid_change_has_no_problem() -> None:
    assert schema_errors({"status": "in_progress"}) is None
    assert schema_errors({"status": "resolved", "note": "Pump repaired."}) is None


def test_problems_are_named_by_field() -> None:
    assert schema_errors({"status": "done"}) == (
        "status must be one of ['received', 'in_progress', 'resolved', 'closed']"
    )
    assert (
        schema_errors({"status": "closed", "note": "x" * (MAX_NOTE + 1)})
        == f"note: at most {MAX_NOTE} characters"
    )
    assert schema_errors({}) == "body: 'status' is a required property"
    assert schema_errors({"status": "closed", "why": "x"}).startswith("body: Additional properties")  # type: ignore[union-attr]
    assert schema_errors({"status": "closed", "note": 5}) == "note: 5 is not of type 'string'"
    assert schema_errors([]) == "body: [] is not of type 'object'"
