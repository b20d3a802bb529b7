"""The migration to conversation ids scoped by channel: stored subscribers, their region sets and the
subscriber column of concerns are renamed once, and the citizens keep their alerts."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import redis
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot import redis_keys
from bot.concerns.database import alembic_config, make_engine, upgrade
from bot.identity import web_conversation_id
from bot.runtime.records import migrate
from bot.subscriptions.scoped_ids import migrate_subscribers, scoped_subscriber_id
from bot.subscriptions.store import SubscriptionStore, subscriber_id
from tests.old_redis_records import old_subscription

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
PAGE_ID = "0123456789abcdef0123456789abcdef"  # what the chat page kept before


def test_each_channel_s_old_subscriber_id_becomes_its_scoped_conversation() -> None:
    assert scoped_subscriber_id("telegram:12345") == "telegram:telegram:12345"
    assert scoped_subscriber_id("africastalking:+254711") == "africastalking:sms:+254711"
    assert scoped_subscriber_id("twilio:+254711") == "twilio:sms:+254711"
    assert scoped_subscriber_id("whatsapp:whatsapp:+34600") == "whatsapp:whatsapp:+34600"
    assert scoped_subscriber_id("facebook:998877") == "facebook:messenger:998877"
    assert scoped_subscriber_id("rest:alice") == "rest:rest:alice"
    assert scoped_subscriber_id(f"socketio:{PAGE_ID}") == f"socketio:{web_conversation_id(PAGE_ID)}"
    assert scoped_subscriber_id("cmdline:x") == "cmdline:x"  # unknown channels are left alone
    # what the channels now produce for the same citizens
    assert scoped_subscriber_id("telegram:12345") == subscriber_id("telegram", "telegram:12345")
    assert scoped_subscriber_id(f"socketio:{PAGE_ID}") == subscriber_id(
        "socketio", web_conversation_id(PAGE_ID)
    )


def test_stored_subscribers_are_renamed_once_with_their_regions_and_consent(
    redis_client: redis.Redis[bytes], database: Engine
) -> None:
    """Subscribers kept in Redis before scoped ids are renamed there, then moved to the database."""
    old_subscription(redis_client, "telegram:12345", "coast", ("flood",), "sw", NOW)
    old_subscription(redis_client, "telegram:12345", "nairobi", (), "sw", NOW)
    old_subscription(redis_client, "africastalking:+254711", "coast", (), "en", NOW)
    assert migrate_subscribers(redis_client) == 2
    assert redis_client.smembers(redis_keys.subscribers_of_region("nairobi")) == {b"telegram:telegram:12345"}
    old_subscription(redis_client, "telegram:999", "coast", (), "en", NOW)  # an old-style id written after
    assert migrate_subscribers(redis_client) is None  # once only: not touched
    migrate(redis_client, database)
    store = SubscriptionStore(database)
    assert store.get("telegram:12345") is None and store.get("africastalking:+254711") is None
    moved = store.get("telegram:telegram:12345")
    assert moved is not None and moved.language == "sw"
    assert {(s.region, s.topics, s.consented_at) for s in moved.subscriptions} == {
        ("coast", ("flood",), NOW),
        ("nairobi", (), NOW),
    }
    followers = sorted(m for batch in store.followers(("coast",), ("flood",), 10) for m in batch)
    assert followers == ["africastalking:sms:+254711", "telegram:999", "telegram:telegram:12345"]
    assert store.get("telegram:999") is not None


def test_the_database_migration_renames_the_subscribers_of_concerns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'concerns.db'}"
    command.upgrade(alembic_config(url), "0002")
    engine = make_engine(url)
    with engine.begin() as db:
        for ticket, subscriber in (
            ("AAAAAA", "telegram:42"),
            ("BBBBBB", "africastalking:+2547"),
            ("CCCCCC", ""),
        ):
            db.execute(
                text(
                    "INSERT INTO concerns (ticket, category, ministry, region, place, language, channel,"
                    " subscriber, description, contact_consent, status, public_note, created_at, updated_at)"
                    " VALUES (:t, 'health', 'health', 'coast', '', 'en', 'telegram', :s, 'd', 0, 'received',"
                    " '', :now, :now)"
                ),
                {"t": ticket, "s": subscriber, "now": NOW},
            )
        db.execute(
            text(
                "INSERT INTO concern_notices (change_id, ticket, subscriber, created_at)"
                " VALUES (1, 'AAAAAA', 'telegram:42', :now)"
            ),
            {"now": NOW},
        )
    upgrade(url)
    with engine.begin() as db:
        rows = dict(db.execute(text("SELECT ticket, subscriber FROM concerns")).fetchall())
        notices = [r[0] for r in db.execute(text("SELECT subscriber FROM concern_notices"))]
    engine.dispose()
    assert rows == {"AAAAAA": "telegram:telegram:42", "BBBBBB": "africastalking:sms:+2547", "CCCCCC": ""}
    assert notices == ["telegram:telegram:42"]
