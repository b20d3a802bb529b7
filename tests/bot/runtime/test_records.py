"""The move of old records from Redis into the database, on SQLite and the real PostgreSQL.

Redis is seeded as the releases before kept it (written here key by key, not through today's
stores), the migration runs, everything is then read back through the services' own stores, and a
second run changes nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot import redis_keys
from bot.alerts.lifecycle import HistoryEntry, Move, Status
from bot.alerts.model import utc_now
from bot.alerts.repository import AlertRepository
from bot.alerts.store import ActiveAlertStore
from bot.alerts.tables import alert_events, alerts
from bot.auth.keys import ApiKeyStore
from bot.auth.roles import Actor, Role
from bot.auth.tables import api_keys
from bot.concerns.database import make_engine
from bot.runtime.records import Moved, migrate
from bot.settings import PROJECT_ROOT
from bot.subscriptions.store import Subscription, SubscriptionStore
from tests.conftest import TEST_REDIS_URL
from tests.old_redis_records import old_alert_record, old_api_key, old_subscription

OLD_KEY = "bz_a1b2c3d4e5f6_old-secret-issued-before-the-move-0000000000"
OLD_LEGACY_KEY = "bz_0a0b0c0d0e0f_a-key-from-before-persons-were-recorded-000"
CONSENTED = datetime(2026, 11, 20, 14, 5, tzinfo=timezone.utc)


def _seed_old_keys(client: redis.Redis[bytes]) -> None:
    old_api_key(client, OLD_KEY, "health", "approver", "Dr A. Mwangi", "2026-11-02T09:30:00+00:00", "MOH-42")
    old_api_key(client, OLD_LEGACY_KEY, "meteo", "author", "forecaster", "2026-10-01T06:00:00+00:00")


def _seed_old_subscriptions(client: redis.Redis[bytes]) -> None:
    old_subscription(client, "telegram:telegram:12345", "coast", ("health", "flood"), "sw", CONSENTED)
    old_subscription(client, "telegram:telegram:12345", "lakes", (), "sw", CONSENTED + timedelta(days=1))
    old_subscription(client, "africastalking:sms:+254711", "coast", (), "fr", CONSENTED, channel="ussd")


def _rows(engine: Engine, table: Any = api_keys) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


LIVE_ID, CANCELLED_ID = "al_0123456789abcdef", "al_fedcba9876543210"
SUBMITTED = utc_now().replace(microsecond=0) - timedelta(hours=1)


def _step(move: str, actor: str, at: datetime, moved: tuple[str, str], **extra: str) -> dict[str, str]:
    return {"move": move, "actor": actor, "at": at.isoformat(), "from": moved[0], "to": moved[1], **extra}


def _old_document(alert_id: str, ministry: str, status: str, history: list[dict[str, str]]) -> dict[str, Any]:
    """An alert record in the JSON the old repository stored (the API's representation then)."""
    return {
        "id": alert_id,
        "ministry": ministry,
        "status": status,
        "alert": {
            "alert_id": alert_id,
            "severity": "Severe",
            "regions": ["coast"],
            "effective": SUBMITTED.isoformat(),
            "expires": (SUBMITTED + timedelta(hours=12)).isoformat(),
            "texts": {
                "en": {"headline": "Cholera", "description": "Cases rise.", "instruction": "Boil water."}
            },
            "sender": ministry,
            "category": "Health",
            "urgency": "Immediate",
            "certainty": "Observed",
            "topics": ["health"],
            "msg_type": "Alert",
            "references": [],
            "event": "",
            "web": "",
        },
        "created_by": "k-author",
        "created_at": SUBMITTED.isoformat(),
        "submitted_by": "k-author",
        "approved_by": history[1]["actor"],
        "superseded_by": "",
        "cap": {"sender": f"{ministry}@gov.example", "identifier": alert_id, "sent": SUBMITTED.isoformat()},
        "history": history,
    }


def _seed_old_alerts(client: redis.Redis[bytes]) -> None:
    approved = SUBMITTED + timedelta(minutes=4)
    live = _old_document(
        LIVE_ID,
        "health",
        "sending",
        [
            _step("submit", "k-author", SUBMITTED, ("draft", "pending_approval"), person="MOH-1", note=""),
            _step(
                "approve", "k-approver", approved, ("pending_approval", "sending"), person="MOH-2", note=""
            ),
        ],
    )
    live.update(submitted_by_person="MOH-1", approved_by_person="MOH-2")
    old_alert_record(client, live, shown=True)
    # From a release before persons and notes were kept in the history.
    cancelled = _old_document(
        CANCELLED_ID,
        "meteo",
        "cancelled",
        [
            _step("submit", "k-author", SUBMITTED, ("draft", "pending_approval")),
            _step("approve", "k-author", SUBMITTED, ("pending_approval", "sending")),
            _step("cancel", "k-author", approved, ("sending", "cancelled"), note="false alarm"),
        ],
    )
    old_alert_record(client, cancelled)
    client.zadd(redis_keys.alert_records(), {"al_gone": 1.0})  # indexed, its document lost


def test_old_api_keys_keep_working_after_the_move_and_a_second_run_changes_nothing(
    redis_client: redis.Redis[bytes], database: Engine
) -> None:
    _seed_old_keys(redis_client)
    assert migrate(redis_client, database) == Moved(api_keys=2)
    store = ApiKeyStore(database)
    assert store.authenticate(OLD_KEY) == Actor(
        "a1b2c3d4e5f6", "health", Role.APPROVER, "Dr A. Mwangi", "MOH-42"
    )
    legacy = store.authenticate(OLD_LEGACY_KEY)
    assert legacy is not None and legacy.person_id == "key:0a0b0c0d0e0f"
    assert [(i.key_id, i.created_at) for i in store.list()] == [
        ("a1b2c3d4e5f6", "2026-11-02T09:30:00+00:00"),
        ("0a0b0c0d0e0f", "2026-10-01T06:00:00+00:00"),
    ]
    assert not redis_client.exists(redis_keys.api_keys())  # Redis no longer holds the record
    assert migrate(redis_client, database) == Moved()
    assert _rows(database) == 2
    assert store.revoke("a1b2c3d4e5f6")
    assert migrate(redis_client, database) == Moved()
    assert store.authenticate(OLD_KEY) is None  # a revoked key never comes back from Redis


def test_a_move_interrupted_after_copying_is_finished_by_the_next_run(
    redis_client: redis.Redis[bytes], database: Engine
) -> None:
    _seed_old_keys(redis_client)
    migrate(redis_client, database)
    _seed_old_keys(redis_client)  # as if the run had stopped before deleting what it had copied
    assert migrate(redis_client, database) == Moved()
    assert _rows(database) == 2 and not redis_client.exists(redis_keys.api_keys())


def test_old_subscriptions_and_their_consents_are_read_from_the_database_after_the_move(
    redis_client: redis.Redis[bytes], database: Engine
) -> None:
    _seed_old_subscriptions(redis_client)
    assert migrate(redis_client, database) == Moved(subscriptions=3)
    store = SubscriptionStore(database)
    citizen = store.get("telegram:telegram:12345")
    assert citizen is not None and citizen.language == "sw"
    assert citizen.subscriptions == (
        Subscription("coast", ("health", "flood"), CONSENTED, "telegram"),
        Subscription("lakes", (), CONSENTED + timedelta(days=1), "telegram"),
    )
    sms = store.get("africastalking:sms:+254711")
    assert sms is not None and sms.subscriptions[0].consent_channel == "ussd"  # where they agreed
    coast_flood = sorted(s for batch in store.followers(("coast",), ("flood",), 10) for s in batch)
    assert coast_flood == ["africastalking:sms:+254711", "telegram:telegram:12345"]
    assert store.languages(["telegram:telegram:12345", "africastalking:sms:+254711"]) == ["sw", "fr"]
    assert redis_client.keys("baraza:*") == []  # nothing of the record is left in Redis
    assert migrate(redis_client, database) == Moved()
    assert store.get("telegram:telegram:12345") == citizen


def test_a_consent_given_after_the_move_began_is_kept_over_the_old_one(
    redis_client: redis.Redis[bytes], database: Engine
) -> None:
    store = SubscriptionStore(database)
    later = CONSENTED + timedelta(days=5)
    store.subscribe("telegram:telegram:12345", "coast", ("fire",), "en", later)
    _seed_old_subscriptions(redis_client)
    assert migrate(redis_client, database) == Moved(subscriptions=2)
    citizen = store.get("telegram:telegram:12345")
    assert citizen is not None
    assert [(s.region, s.topics, s.consented_at) for s in citizen.subscriptions] == [
        ("coast", ("fire",), later),
        ("lakes", (), CONSENTED + timedelta(days=1)),
    ]


def test_old_alert_records_and_their_history_are_read_from_the_database_after_the_move(
    redis_client: redis.Redis[bytes], database: Engine
) -> None:
    _seed_old_alerts(redis_client)
    assert migrate(redis_client, database) == Moved(alerts=2)
    repository = AlertRepository(database)
    live = repository.get(LIVE_ID)
    assert live.status is Status.SENDING and live.ministry == "health"
    assert live.lifecycle.history == (
        HistoryEntry(Move.SUBMIT, "k-author", SUBMITTED, Status.DRAFT, Status.PENDING_APPROVAL, "", "MOH-1"),
        HistoryEntry(
            Move.APPROVE,
            "k-approver",
            SUBMITTED + timedelta(minutes=4),
            Status.PENDING_APPROVAL,
            Status.SENDING,
            "",
            "MOH-2",
        ),
    )
    assert (live.lifecycle.submitted_by_person, live.lifecycle.approved_by_person) == ("MOH-1", "MOH-2")
    assert live.alert.texts["en"].headline == "Cholera" and live.alert.topics == ("health",)
    cancelled = repository.get(CANCELLED_ID)
    assert cancelled.status is Status.CANCELLED
    assert [(e.move, e.note, e.person) for e in cancelled.lifecycle.history] == [
        (Move.SUBMIT, "", ""),
        (Move.APPROVE, "", ""),
        (Move.CANCEL, "false alarm", ""),
    ]
    found = repository.find_by_cap_identity("health@gov.example", LIVE_ID)
    assert found is not None and found.alert_id == LIVE_ID
    assert [r.alert_id for r in repository.list("health", limit=10)] == [LIVE_ID]
    assert [r.alert_id for r in repository.list(None, limit=10, status=Status.CANCELLED)] == [CANCELLED_ID]
    assert redis_client.keys("baraza:alertrec*") == []  # nothing of the record is left in Redis
    assert redis_client.exists(redis_keys.alert(LIVE_ID))  # what citizens see stays
    assert migrate(redis_client, database) == Moved()
    assert (_rows(database, alerts), _rows(database, alert_events)) == (2, 5)
    assert repository.get(LIVE_ID) == live


def test_an_alert_changed_after_an_interrupted_move_keeps_its_change(
    redis_client: redis.Redis[bytes], database: Engine
) -> None:
    _seed_old_alerts(redis_client)
    migrate(redis_client, database)
    repository = AlertRepository(database)
    repository.change(
        LIVE_ID,
        lambda r: r.with_lifecycle(r.lifecycle.apply(Move.FINISH, None, SUBMITTED + timedelta(hours=1))),
    )
    _seed_old_alerts(redis_client)  # as if the run had stopped before deleting what it had copied
    assert migrate(redis_client, database) == Moved()
    assert repository.get(LIVE_ID).status is Status.SENT
    assert len(repository.get(LIVE_ID).lifecycle.history) == 3
    assert redis_client.keys("baraza:alertrec*") == []


def test_the_command_line_migrates_the_configured_stores_and_says_what_it_moved(
    redis_client: redis.Redis[bytes], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"  # not migrated yet: the command does it first
    _seed_old_keys(redis_client)
    _seed_old_alerts(redis_client)
    redis_client.delete(redis_keys.alert(LIVE_ID))  # what citizens saw was lost too: rebuilt from the record
    old_subscription(redis_client, "telegram:12345", "coast", (), "sw", CONSENTED)  # from before scoped ids

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "bot.runtime.records", "migrate"],
            cwd=PROJECT_ROOT,
            env={**os.environ, "REDIS_URL": TEST_REDIS_URL, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout.strip()

    moved = "moved from Redis to the database: {} API keys, {} subscriptions with their consents, {} alerts"
    assert run() == moved.format(2, 1, 2) + " with their history"
    engine = make_engine(url)
    assert AlertRepository(engine).get(LIVE_ID).status is Status.SENDING
    shown = ActiveAlertStore(redis_client).active_in_region("coast", utc_now())
    assert [a.alert_id for a in shown] == [LIVE_ID]
    assert SubscriptionStore(engine).get("telegram:telegram:12345") is not None
    assert ApiKeyStore(engine).authenticate(OLD_KEY) is not None
    engine.dispose()
    assert run() == moved.format(0, 0, 0) + " with their history"
