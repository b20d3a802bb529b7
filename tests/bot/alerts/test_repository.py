"""Alert records in the database (SQLite and the real PostgreSQL): one per CAP identity, changed by
compare-and-set with their history and their outbox, listed newest first."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.alerts.effects import Effects, Job, View
from bot.alerts.lifecycle import Lifecycle, Move, Status, TransitionError
from bot.alerts.model import Alert, AlertText
from bot.alerts.record import AlertNotFound, AlertRecord, DuplicateAlert
from bot.alerts.repository import AlertRepository
from bot.alerts.tables import alert_events, alert_outbox
from bot.auth.roles import Actor, Role
from bot.fanout.notices import JobKind

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
AUTHOR = Actor("k-author", "meteo", Role.AUTHOR, person="MET-1")


def _record(alert_id: str, ministry: str = "meteo", minutes: int = 0, draft: bool = False) -> AlertRecord:
    created = NOW + timedelta(minutes=minutes)
    alert = Alert(
        alert_id, "Minor", ("coast",), created, created + timedelta(hours=1), {"en": AlertText("h", "d", "i")}
    )
    lifecycle = Lifecycle(Status.DRAFT)
    if not draft:
        lifecycle = lifecycle.submit(AUTHOR, created, second_approval=False)
    return AlertRecord(alert, ministry, lifecycle, "k-author", created, f"{ministry}@x", alert_id, created)


def _count(database: Engine, table: object) -> int:
    with database.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_a_record_is_stored_once_per_cap_identity(database: Engine) -> None:
    store = AlertRepository(database)
    store.add(_record("al_1"))
    assert store.get("al_1") == _record("al_1")  # every field and the whole history, times in UTC
    assert store.find_by_cap_identity("meteo@x", "al_1") == _record("al_1")
    assert store.find_by_cap_identity("meteo@x", "unknown") is None
    with pytest.raises(DuplicateAlert, match=r"already received \(id al_1\)"):
        store.add(replace(_record("al_1"), alert=replace(_record("al_1").alert, alert_id="al_2")))
    with pytest.raises(AlertNotFound):
        store.get("al_2")


def test_a_change_appends_its_history_and_its_effects_in_one_transaction(database: Engine) -> None:
    store = AlertRepository(database)
    store.add(_record("al_1", draft=True))
    assert _count(database, alert_events) == 0
    submitted = store.change(
        "al_1",
        lambda r: r.with_lifecycle(r.lifecycle.submit(AUTHOR, NOW, second_approval=False)),
        lambda r: Effects(View.SHOW, (Job(JobKind.ALERT, r.alert_id),)),
    )
    assert [(e.move, e.person) for e in store.get("al_1").lifecycle.history] == [
        (Move.SUBMIT, "MET-1"),
        (Move.APPROVE, "MET-1"),
    ]
    assert store.get("al_1") == submitted
    [pending] = store.pending_effects(limit=10)
    assert pending.alert == submitted.alert and pending.version == 2
    assert pending.effects == Effects(View.SHOW, (Job(JobKind.ALERT, "al_1"),))
    store.change("al_1", lambda r: r.with_lifecycle(r.lifecycle.apply(Move.FINISH, None, NOW)))
    assert len(store.pending_effects(limit=10)) == 1  # a change without effects adds nothing
    store.effects_applied("al_1", 2)
    assert store.pending_effects(limit=10) == []
    assert store.get("al_1").status is Status.SENT


def test_a_refused_change_leaves_record_history_and_outbox_as_they_were(database: Engine) -> None:
    store = AlertRepository(database)
    store.add(_record("al_1"))

    def finish_twice(record: AlertRecord) -> AlertRecord:
        finished = record.with_lifecycle(record.lifecycle.apply(Move.FINISH, None, NOW))
        return finished.with_lifecycle(finished.lifecycle.apply(Move.FINISH, None, NOW))

    with pytest.raises(TransitionError):
        store.change("al_1", finish_twice, lambda r: Effects(View.WITHDRAW))
    assert store.get("al_1") == _record("al_1")
    assert store.pending_effects(limit=10) == []
    with pytest.raises(AlertNotFound):
        store.change("al_2", lambda record: record)
    with pytest.raises(ValueError, match="never rewrite"):
        store.change("al_1", lambda r: r.with_lifecycle(Lifecycle(Status.SENT)))


def test_a_change_made_meanwhile_by_another_writer_is_not_lost(database: Engine) -> None:
    """The compare-and-set lost to another writer: the change is computed again on the winner's result."""
    store = AlertRepository(database)
    other_writer = AlertRepository(database)
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


def test_writers_at_once_each_get_their_change_in(database: Engine) -> None:
    """Eight threads appending to one record at the same moment: every append is kept, none twice."""
    store = AlertRepository(database)
    store.add(_record("al_1"))
    start = threading.Barrier(8)
    failures: list[BaseException] = []

    def append(name: str) -> None:
        try:
            start.wait()
            store.change("al_1", lambda r: replace(r, superseded_by=f"{r.superseded_by} {name}"))
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=append, args=(f"w{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(store.get("al_1").superseded_by.split()) == [f"w{i}" for i in range(8)]


def test_lists_newest_first_per_ministry_paged_by_creation_time(database: Engine) -> None:
    store = AlertRepository(database)
    for minute in range(5):
        store.add(_record(f"m{minute}", minutes=minute))
    store.add(_record("h0", ministry="health", minutes=10))
    assert [r.alert_id for r in store.list("meteo", limit=3)] == ["m4", "m3", "m2"]
    before = store.get("m2").created_at.timestamp()
    assert [r.alert_id for r in store.list("meteo", limit=3, before=before)] == ["m1", "m0"]
    assert [r.alert_id for r in store.list(None, limit=2)] == ["h0", "m4"]
    assert store.list("meteo", limit=3)[0].lifecycle.history == _record("m4", minutes=4).lifecycle.history


def test_a_status_filter_still_fills_the_page(database: Engine) -> None:
    store = AlertRepository(database)
    for minute in range(12):
        store.add(_record(f"a{minute}", minutes=minute, draft=minute % 4 != 0))
    drafts = store.list("meteo", limit=2, status=Status.DRAFT)
    assert [r.alert_id for r in drafts] == ["a11", "a10"]
    sending = store.list("meteo", limit=5, status=Status.SENDING)
    assert [r.alert_id for r in sending] == ["a8", "a4", "a0"]


def test_alerts_in_force_due_to_expire_and_not_yet_expired(database: Engine) -> None:
    store = AlertRepository(database)
    store.add(_record("early"))  # in force 08:00-09:00
    store.add(_record("later", minutes=90))  # 09:30-10:30
    store.add(_record("draft", minutes=10, draft=True))
    at = NOW + timedelta(minutes=30)
    assert [r.alert_id for r in store.in_force(at, limit=10)] == ["early"]
    assert [r.alert_id for r in store.in_force(NOW + timedelta(minutes=95), limit=10)] == ["later"]
    assert [r.alert_id for r in store.due_to_expire(NOW + timedelta(hours=1), limit=10)] == ["early"]
    assert store.due_to_expire(at, limit=10) == []
    unexpired = {r.alert_id: version for r, version in store.unexpired(NOW + timedelta(hours=1))}
    assert unexpired == {"later": 1, "draft": 1}


def test_an_old_record_is_adopted_once_with_its_history(database: Engine) -> None:
    store = AlertRepository(database)
    old = _record("al_old")
    assert store.adopt(old)
    assert not store.adopt(old)
    store.change("al_old", lambda r: r.with_lifecycle(r.lifecycle.apply(Move.FINISH, None, NOW)))
    assert not store.adopt(old)  # the record changed since is kept
    assert store.get("al_old").status is Status.SENT
    assert _count(database, alert_events) == 3
    assert _count(database, alert_outbox) == 0
