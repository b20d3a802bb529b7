"""Alert records in Redis: one per CAP identity, changed atomically, listed newest first."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
import redis

from bot import redis_keys
from bot.alerts import repository
from bot.alerts.lifecycle import Lifecycle, Move, Status, TransitionError
from bot.alerts.model import Alert, AlertText
from bot.alerts.record import AlertNotFound, AlertRecord, DuplicateAlert
from bot.alerts.repository import AlertRepository
from bot.auth.roles import Actor, Role

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
AUTHOR = Actor("k-author", "meteo", Role.AUTHOR)


def _record(alert_id: str, ministry: str = "meteo", minutes: int = 0, draft: bool = False) -> AlertRecord:
    created = NOW + timedelta(minutes=minutes)
    alert = Alert(
        alert_id, "Minor", ("coast",), created, created + timedelta(hours=1), {"en": AlertText("h", "d", "i")}
    )
    lifecycle = Lifecycle(Status.DRAFT)
    if not draft:
        lifecycle = lifecycle.submit(AUTHOR, created, second_approval=False)
    return AlertRecord(alert, ministry, lifecycle, "k-author", created, f"{ministry}@x", alert_id, created)


def test_a_record_is_stored_once_per_cap_identity(redis_client: redis.Redis[bytes]) -> None:
    store = AlertRepository(redis_client)
    store.add(_record("al_1"))
    assert store.get("al_1") == _record("al_1")
    assert store.find_by_cap_identity("meteo@x", "al_1") == _record("al_1")
    assert store.find_by_cap_identity("meteo@x", "unknown") is None
    with pytest.raises(DuplicateAlert, match=r"already received \(id al_1\)"):
        store.add(_record("al_1"))
    with pytest.raises(AlertNotFound):
        store.get("al_2")


def test_side_effects_are_written_with_the_record(redis_client: redis.Redis[bytes]) -> None:
    store = AlertRepository(redis_client)
    store.add(
        _record("al_1"), side_effects=lambda pipe, record: pipe.set("baraza:test:effect", record.alert_id)
    )
    assert redis_client.get("baraza:test:effect") == b"al_1"


def test_a_refused_change_leaves_the_record_as_it_was(redis_client: redis.Redis[bytes]) -> None:
    store = AlertRepository(redis_client)
    store.add(_record("al_1"))

    def finish_twice(record: AlertRecord) -> AlertRecord:
        finished = record.with_lifecycle(record.lifecycle.apply(Move.FINISH, None, NOW))
        return finished.with_lifecycle(finished.lifecycle.apply(Move.FINISH, None, NOW))

    with pytest.raises(TransitionError):
        store.change("al_1", finish_twice)
    assert store.get("al_1").status is Status.SENDING
    with pytest.raises(AlertNotFound):
        store.change("al_2", lambda record: record)


def test_a_change_made_meanwhile_by_another_writer_is_not_lost(redis_client: redis.Redis[bytes]) -> None:
    """Two approvers at once: the transaction that lost the race runs again on the winner's result."""
    store = AlertRepository(redis_client)
    other_writer = AlertRepository(redis.Redis(connection_pool=redis_client.connection_pool))
    store.add(_record("al_1"))
    seen: list[str] = []

    def mine(record: AlertRecord) -> AlertRecord:
        seen.append(record.superseded_by)
        if len(seen) == 1:  # another writer changes the record between our read and our write
            other_writer.change("al_1", lambda r: replace(r, superseded_by="theirs"))
        return replace(record, superseded_by=record.superseded_by + "+mine")

    assert store.change("al_1", mine).superseded_by == "theirs+mine"
    assert seen == ["", "theirs"]
    assert store.get("al_1").superseded_by == "theirs+mine"


def test_lists_newest_first_per_ministry_paged_by_creation_time(redis_client: redis.Redis[bytes]) -> None:
    store = AlertRepository(redis_client)
    for minute in range(5):
        store.add(_record(f"m{minute}", minutes=minute))
    store.add(_record("h0", ministry="health", minutes=10))
    assert [r.alert_id for r in store.list("meteo", limit=3)] == ["m4", "m3", "m2"]
    before = store.get("m2").created_at.timestamp()
    assert [r.alert_id for r in store.list("meteo", limit=3, before=before)] == ["m1", "m0"]
    assert [r.alert_id for r in store.list(None, limit=2)] == ["h0", "m4"]


def test_a_status_filter_still_fills_the_page(
    redis_client: redis.Redis[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many records in other statuses between the wanted ones: the index is read chunk after chunk."""
    monkeypatch.setattr(repository, "STATUS_SCAN_CHUNK", 3)
    store = AlertRepository(redis_client)
    for minute in range(12):
        store.add(_record(f"a{minute}", minutes=minute, draft=minute % 4 != 0))
    redis_client.delete(redis_keys.alert_record("a5"))  # indexed but gone: skipped
    drafts = store.list("meteo", limit=2, status=Status.DRAFT)
    assert [r.alert_id for r in drafts] == ["a11", "a10"]
    sending = store.list("meteo", limit=5, status=Status.SENDING)
    assert [r.alert_id for r in sending] == ["a8", "a4", "a0"]
