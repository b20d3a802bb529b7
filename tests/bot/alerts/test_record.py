"""An alert record as a ministry manages it: its status comes from its lifecycle, and it survives JSON."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.alerts.lifecycle import Lifecycle, Move, Status
from bot.alerts.model import Alert, AlertText
from bot.alerts.record import AlertNotFound, AlertRecord, DuplicateAlert
from bot.auth.roles import Actor, Role

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
AUTHOR = Actor("k-author", "health", Role.AUTHOR)
APPROVER = Actor("k-approver", "health", Role.APPROVER)


def _record() -> AlertRecord:
    alert = Alert(
        "al_1", "Severe", ("coast",), NOW, NOW + timedelta(hours=6), {"en": AlertText("Cholera", "d", "i")}
    )
    lifecycle = Lifecycle(Status.DRAFT).submit(AUTHOR, NOW, second_approval=True)
    return AlertRecord(
        alert=alert,
        ministry="health",
        lifecycle=lifecycle,
        created_by="k-author",
        created_at=NOW,
        cap_sender="alerts@health.kalima.example",
        cap_identifier="KL-1",
        cap_sent=NOW,
    )


def test_id_and_status_come_from_the_alert_and_its_lifecycle() -> None:
    record = _record()
    assert (record.alert_id, record.status) == ("al_1", Status.PENDING_APPROVAL)
    approved = record.with_lifecycle(
        record.lifecycle.apply(Move.APPROVE, APPROVER, NOW, second_approval=True)
    )
    assert approved.status is Status.SENDING and record.status is Status.PENDING_APPROVAL  # a new record


def test_json_round_trip_keeps_the_history_and_the_cap_identity() -> None:
    record = _record()
    record = record.with_lifecycle(record.lifecycle.apply(Move.CANCEL, APPROVER, NOW, note="false alarm"))
    data = record.to_json()
    assert data["status"] == "cancelled" and data["cap"]["identifier"] == "KL-1"
    assert [(h["move"], h["from"], h["to"], h["actor"]) for h in data["history"]] == [
        ("submit", "draft", "pending_approval", "k-author"),
        ("cancel", "pending_approval", "cancelled", "k-approver"),
    ]
    assert data["history"][-1]["note"] == "false alarm"
    assert AlertRecord.from_json(data) == record


def test_the_errors_are_the_kinds_callers_already_handle() -> None:
    assert issubclass(AlertNotFound, KeyError)  # a missing record, like a missing key
    assert issubclass(DuplicateAlert, ValueError)
