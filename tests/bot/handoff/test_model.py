"""A handoff's document keeps everything through storage: state, people, times and every event."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.handoff.model import EndReason, Handoff, Status, Trigger, new_handoff_id

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def test_a_handoff_survives_its_document_with_every_event() -> None:
    handoff = Handoff(
        new_handoff_id(), "ussd:+254700000002", "ussd", "sw", "water_desk", Trigger.DISTRESS, NOW
    )
    handoff = handoff.with_event("requested", NOW, "citizen", detail={"trigger": Trigger.DISTRESS})
    later = NOW + timedelta(minutes=2)
    handoff = handoff.with_event(
        "claimed", later, "amina", status=Status.CLAIMED, agent="amina", claimed_at=later
    )
    handoff = handoff.with_event(
        "ended", later, "amina", status=Status.ENDED, ended_at=later, end_reason=EndReason.REFERRED
    )
    again = Handoff.from_json(handoff.to_json())
    assert again == handoff
    assert again.events[0].detail == {"trigger": "distress"}
    assert again.urgent and again.end_reason is EndReason.REFERRED


def test_ids_are_not_guessable() -> None:
    ids = {new_handoff_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(len(i) >= 16 for i in ids)
