"""Storing and following concerns, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.engine import Engine

from bot.concerns.model import ConcernFilter, ConcernNotFound, ConcernStatus, NewConcern, StatusChangeRefused
from bot.concerns.store import ConcernStore
from bot.concerns.ticket import ALPHABET

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


def _new(
    description: str = "The water point in Ziwani is broken.", consent: bool = False, **changes: str
) -> NewConcern:
    values = {
        "category": "water_sanitation",
        "description": description,
        "region": "lakes",
        "place": "Ziwani",
        "language": "en",
        "channel": "rest",
        "subscriber": "rest:citizen-1",
        "contact_consent": consent,
    }
    values.update(changes)
    return NewConcern(**values)  # type: ignore[arg-type]


def test_create_read_and_follow_a_concern(engine: Engine) -> None:
    store = ConcernStore(engine)
    concern = store.create(
        _new(consent=True), ministry="water", description="redacted text", place="Ziwani", now=NOW
    )
    assert len(concern.ticket) == 6 and set(concern.ticket) <= set(ALPHABET)
    assert (concern.status, concern.ministry, concern.description, concern.original) == (
        ConcernStatus.RECEIVED,
        "water",
        "redacted text",
        "The water point in Ziwani is broken.",
    )
    assert concern.created_at == NOW
    later = NOW + timedelta(hours=2)
    moved = store.change_status(
        concern.ticket.lower(), ConcernStatus.IN_PROGRESS, actor="key-1", note="Team sent.", now=later
    )
    assert (moved.status, moved.public_note, moved.updated_at) == (
        ConcernStatus.IN_PROGRESS,
        "Team sent.",
        later,
    )
    assert [(h["actor"], h["from"], h["to"], h["note"]) for h in store.history(concern.ticket)] == [
        ("citizen", None, "received", ""),
        ("key-1", "received", "in_progress", "Team sent."),
    ]
    with pytest.raises(StatusChangeRefused, match="cannot go from in_progress to received"):
        store.change_status(concern.ticket, ConcernStatus.RECEIVED, actor="key-1", note="", now=later)
    with pytest.raises(ConcernNotFound):
        store.get("ZZZZZ9")


def test_original_kept_only_with_consent(engine: Engine) -> None:
    store = ConcernStore(engine)
    concern = store.create(_new(consent=False), ministry="water", description="redacted", place="", now=NOW)
    assert concern.original is None


def test_filters_pagination_and_text_search(engine: Engine) -> None:
    store = ConcernStore(engine)
    for i in range(7):
        store.create(
            _new(category="health" if i % 2 else "water_sanitation", region="coast" if i < 3 else "lakes"),
            ministry="health" if i % 2 else "water",
            description=f"case {i} about 100% of the pumps_",
            place="",
            now=NOW + timedelta(minutes=i),
        )
    page, total = store.find(ConcernFilter(ministry="water"), limit=2)
    assert total == 4 and len(page) == 2 and page[0].created_at > page[1].created_at
    assert (
        store.find(ConcernFilter(ministry="water"), limit=2, offset=2)[0][1].description
        == "case 0 about 100% of the pumps_"
    )
    assert store.find(ConcernFilter(region="coast", category="health"))[1] == 1
    assert store.find(ConcernFilter(text="CASE 3"))[1] == 1
    assert store.find(ConcernFilter(text="100%"))[1] == 7  # wildcards in the search are literal
    assert store.find(ConcernFilter(text="1_0"))[1] == 0
    assert store.find(ConcernFilter(since=NOW + timedelta(minutes=5)))[1] == 2


def test_many_concerns_at_once_each_stored_once_with_unique_tickets(engine: Engine) -> None:
    store = ConcernStore(engine)
    tickets: list[str] = []
    lock = threading.Lock()

    def file(n: int) -> None:
        concern = store.create(
            _new(description=f"report {n}"), ministry="water", description=f"report {n}", place="", now=NOW
        )
        with lock:
            tickets.append(concern.ticket)

    threads = [threading.Thread(target=file, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(tickets)) == 40
    assert store.find(ConcernFilter())[1] == 40


def test_retention_purge_and_forget(engine: Engine) -> None:
    store = ConcernStore(engine)
    old = store.create(
        _new(consent=True),
        ministry="water",
        description="old text",
        place="Ziwani",
        now=NOW - timedelta(days=400),
    )
    recent = store.create(
        _new(consent=True), ministry="water", description="new text", place="Ziwani", now=NOW
    )
    assert store.purge_texts(NOW - timedelta(days=365), NOW) == 1
    purged = store.get(old.ticket)
    assert (purged.description, purged.original, purged.place, purged.category) == (
        "",
        None,
        "",
        "water_sanitation",
    )
    assert store.get(recent.ticket).description == "new text"
    assert store.forget("rest:citizen-1") == 1  # the purged one had lost its address already
    assert store.subscriber_of(recent.ticket) == "" and store.get(recent.ticket).original is None
