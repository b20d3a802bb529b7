"""The inbox's bodies: each problem named by its field."""

from __future__ import annotations

from bot.api.handoff_schema import END_SCHEMA, REPLY_SCHEMA, TRANSFER_SCHEMA, body_errors


def test_valid_bodies_pass_and_each_problem_names_its_field() -> None:
    assert body_errors(REPLY_SCHEMA, {"text": "Habari"}) is None
    assert body_errors(TRANSFER_SCHEMA, {"desk": "water_desk"}) is None
    assert body_errors(END_SCHEMA, {"reason": "resolved"}) is None
    assert "text" in (body_errors(REPLY_SCHEMA, {}) or "")
    assert (body_errors(REPLY_SCHEMA, {"text": "x" * 1001}) or "").startswith("text:")
    assert "resolved" in (body_errors(END_SCHEMA, {"reason": "bored"}) or "")
    assert "note" in (body_errors(TRANSFER_SCHEMA, {"desk": "d", "note": 5}) or "")
    assert "extra" in (body_errors(END_SCHEMA, {"reason": "resolved", "extra": 1}) or "")
    assert body_errors(REPLY_SCHEMA, ["text"]) is not None
