"""The relational schema of subscriptions and the consent behind each. Changes go through Alembic.

A subscriber is one conversation reached on one channel (``<channel>:<conversation id>``); for each
region they follow, ``subscriptions`` keeps the consent (when, on which channel, for which topics)
and ``subscription_topics`` one row per topic followed (``""``: every topic), keyed so that the
fan-out reads a region's followers in key order, a page at a time. That table is an index of
``subscriptions``, written and deleted with it in the same transaction by the store (no foreign key:
deleting a large number of subscriptions would check each row against it).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
)

from bot.schema import metadata

#: The topic of a subscription row that follows every topic of its region.
EVERY_TOPIC = ""

subscribers = Table(
    "subscribers",
    metadata,
    Column("subscriber_id", String(200), primary_key=True),
    Column("language", String(8), nullable=False),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column(
        "subscriber_id",
        String(200),
        ForeignKey("subscribers.subscriber_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("region", String(40), primary_key=True),
    Column("topics", Text, nullable=False),  #: JSON list as chosen (empty: every topic)
    Column("consented_at", DateTime(timezone=True), nullable=False),
    Column("consent_channel", String(40), nullable=False),
)

subscription_topics = Table(
    "subscription_topics",
    metadata,
    Column("region", String(40), primary_key=True),
    Column("topic", String(40), primary_key=True),
    Column("subscriber_id", String(200), primary_key=True),
    Index("ix_subscription_topics_subscriber", "subscriber_id", "region"),
)
