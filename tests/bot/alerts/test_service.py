"""Alert operations against a real Redis: lifecycle, ministries, consequences of going live."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot import redis_keys
from bot.alerts.cap import CapReference, parse_cap, write_cap
from bot.alerts.lifecycle import NotAllowed, Status, TransitionError
from bot.alerts.model import Alert, AlertText
from bot.alerts.record import AlertNotFound, DuplicateAlert
from bot.alerts.service import AlertForbidden, new_alert_id
from bot.auth.roles import Actor, Role
from bot.services import Services

HEALTH_AUTHOR = Actor("h-author", "health", Role.AUTHOR)
HEALTH_APPROVER = Actor("h-approver", "health", Role.APPROVER)
METEO_AUTHOR = Actor("m-author", "meteo", Role.AUTHOR)
ANALYST = Actor("analyst", "health", Role.ANALYST)


def make_alert(
    services: Services, regions: tuple[str, ...] = ("coast",), headline: str = "Cholera outbreak"
) -> Alert:
    now = services.now()
    return Alert(
        alert_id=new_alert_id(),
        severity="Severe",
        regions=regions,
        effective=now,
        expires=now + timedelta(hours=12),
        texts={"en": AlertText(headline, "Cases are rising.", "Boil drinking water.")},
        category="Health",
        topics=("health",),
    )


def _jobs(services: Services) -> list[tuple[str, str]]:
    entries = services.redis.xrange(redis_keys.fan_out_jobs())
    return [(f[b"a"].decode(), f[b"k"].decode()) for _, f in entries]


def test_second_approval_then_live_publishes_and_queues_the_fan_out(services: Services) -> None:
    record = services.alerts.create(HEALTH_AUTHOR, make_alert(services))
    assert record.status is Status.PENDING_APPROVAL
    assert services.active_alerts.active_in_region("coast", services.now()) == []
    assert _jobs(services) == []
    with pytest.raises(NotAllowed):
        services.alerts.approve(HEALTH_AUTHOR, record.alert_id)
    live = services.alerts.approve(HEALTH_APPROVER, record.alert_id)
    assert live.status is Status.SENDING
    assert [a.alert_id for a in services.active_alerts.active_in_region("coast", services.now())] == [
        live.alert_id
    ]
    assert _jobs(services) == [(live.alert_id, "alert")]


def test_ministry_without_second_approval_sends_on_submit(services: Services) -> None:
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    assert record.status is Status.SENDING
    assert record.lifecycle.approved_by == "m-author"


def test_another_ministry_cannot_read_or_act_but_analysts_read_all(services: Services) -> None:
    record = services.alerts.create(HEALTH_AUTHOR, make_alert(services))
    with pytest.raises(AlertForbidden):
        services.alerts.get(METEO_AUTHOR, record.alert_id)
    with pytest.raises(AlertForbidden):
        services.alerts.cancel(Actor("m-admin", "meteo", Role.ADMIN), record.alert_id)
    assert services.alerts.get(ANALYST, record.alert_id).alert_id == record.alert_id
    with pytest.raises(NotAllowed):
        services.alerts.create(ANALYST, make_alert(services))
    assert [r.alert_id for r in services.alerts.list_alerts(METEO_AUTHOR)] == []
    assert [r.alert_id for r in services.alerts.list_alerts(Actor("x", "meteo", Role.ANALYST))] == [
        record.alert_id
    ]


def test_cancelling_a_live_alert_withdraws_it_and_queues_the_notice(services: Services) -> None:
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    cancelled = services.alerts.cancel(METEO_AUTHOR, record.alert_id, note="false alarm")
    assert cancelled.status is Status.CANCELLED
    assert cancelled.lifecycle.history[-1].note == "false alarm"
    assert services.active_alerts.active_in_region("coast", services.now()) == []
    assert _jobs(services) == [(record.alert_id, "alert"), (record.alert_id, "cancel")]
    with pytest.raises(TransitionError, match="cannot cancel an alert that is cancelled"):
        services.alerts.cancel(METEO_AUTHOR, record.alert_id)


def test_cancelling_a_pending_alert_tells_nobody(services: Services) -> None:
    record = services.alerts.create(HEALTH_AUTHOR, make_alert(services))
    services.alerts.cancel(HEALTH_AUTHOR, record.alert_id)
    assert _jobs(services) == []


def test_update_of_a_live_alert_references_it_and_supersedes_it_when_live(services: Services) -> None:
    first = services.alerts.create(METEO_AUTHOR, make_alert(services))
    update = services.alerts.update(METEO_AUTHOR, first.alert_id, make_alert(services, headline="Worse"))
    assert (update.alert.msg_type, update.alert.references) == ("Update", (first.alert_id,))
    assert _jobs(services)[-2:] == [(update.alert_id, "alert"), (first.alert_id, "supersede")]
    services.alerts.supersede(first.alert_id, update.alert_id)
    old = services.repository.get(first.alert_id)
    assert (old.status, old.superseded_by) == (Status.SUPERSEDED, update.alert_id)
    visible = services.active_alerts.active_in_region("coast", services.now())
    assert [a.texts["en"].headline for a in visible] == ["Worse"]
    cap = parse_cap(write_cap(services.alerts.cap_of(update)))
    assert cap.msg_type == "Update"
    assert cap.references[0].identifier == first.cap_identifier


def test_cap_sender_must_be_the_ministrys_and_identifiers_are_unique(services: Services) -> None:
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    message = services.alerts.cap_of(record)
    with pytest.raises(AlertForbidden, match="this key's ministry sends as"):
        services.alerts.create_from_cap(HEALTH_AUTHOR, message)
    with pytest.raises(DuplicateAlert, match="was already received"):
        services.alerts.create_from_cap(METEO_AUTHOR, message)


def test_cap_cancel_cancels_what_it_references(services: Services) -> None:
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    original = services.alerts.cap_of(record)
    reference = CapReference(original.sender, original.identifier, original.sent.isoformat())
    cancel = replace(original, identifier="cancel-1", msg_type="Cancel", references=(reference,))
    assert services.alerts.create_from_cap(METEO_AUTHOR, cancel).status is Status.CANCELLED
    unknown = replace(cancel, identifier="cancel-2", references=(replace(reference, identifier="nope"),))
    with pytest.raises(AlertNotFound, match="never received here"):
        services.alerts.create_from_cap(METEO_AUTHOR, unknown)


def test_alerts_whose_time_is_over_expire(services: Services) -> None:
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    draft = services.alerts.create(METEO_AUTHOR, make_alert(services), draft=True)
    assert services.alerts.expire_due() == []
    later = record.alert.expires + timedelta(seconds=1)
    assert services.alerts.expire_due(later) == [record.alert_id]
    assert services.repository.get(record.alert_id).status is Status.EXPIRED
    assert services.repository.get(draft.alert_id).status is Status.DRAFT
    assert services.alerts.expire_due(later) == []


def test_the_moves_a_key_is_offered_follow_its_role_ministry_and_person(services: Services) -> None:
    record = services.alerts.create(HEALTH_AUTHOR, make_alert(services), draft=True)
    assert [m.value for m in services.alerts.moves(HEALTH_AUTHOR, record)] == ["submit", "cancel"]
    pending = services.alerts.submit(HEALTH_AUTHOR, record.alert_id)
    assert [m.value for m in services.alerts.moves(HEALTH_AUTHOR, pending)] == ["cancel"]
    assert [m.value for m in services.alerts.moves(HEALTH_APPROVER, pending)] == ["approve", "cancel"]
    assert services.alerts.moves(Actor("m-admin", "meteo", Role.ADMIN), pending) == ()
    assert services.alerts.moves(ANALYST, pending) == ()
    own = services.alerts.create(HEALTH_APPROVER, make_alert(services))
    assert [m.value for m in services.alerts.moves(HEALTH_APPROVER, own)] == ["cancel"]
