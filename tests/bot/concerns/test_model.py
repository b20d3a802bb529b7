"""A concern: what every reader may see of it, and where its status may go."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.concerns.model import STATUS_TRANSITIONS, Concern, ConcernStatus

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


def test_the_redacted_view_never_carries_the_original_text() -> None:
    concern = Concern(
        "K7P2QX", "health", "health", "lakes", "[place]", "en", "telegram", "Call me on [phone].",
        "Call me on 0712 345 678.", True, ConcernStatus.IN_PROGRESS, "Nurse sent.", NOW, NOW,
    )  # fmt: skip
    view = concern.redacted_view()
    assert "0712 345 678" not in str(view)
    assert "original" not in view and "contact_consent" not in view
    assert view["description"] == "Call me on [phone]." and view["status"] == "in_progress"
    assert view["created_at"] == NOW.isoformat()


def test_a_closed_concern_is_final_and_nothing_goes_back_to_received() -> None:
    assert STATUS_TRANSITIONS[ConcernStatus.CLOSED] == frozenset()
    assert all(ConcernStatus.RECEIVED not in targets for targets in STATUS_TRANSITIONS.values())
    assert set(STATUS_TRANSITIONS) == set(ConcernStatus)  # every status has its row
    assert ConcernStatus.IN_PROGRESS in STATUS_TRANSITIONS[ConcernStatus.RESOLVED]  # resolved can reopen
