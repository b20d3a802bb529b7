"""Subscriptions and their consents move from Redis to the database (``python -m bot.runtime.records
migrate`` copies the old ones).

Revision ID: 0005_subscriptions
Revises: 0004_api_keys
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_subscriptions"
down_revision = "0004_api_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscribers",
        sa.Column("subscriber_id", sa.String(200), primary_key=True),
        sa.Column("language", sa.String(8), nullable=False),
    )
    op.create_table(
        "subscriptions",
        sa.Column(
            "subscriber_id",
            sa.String(200),
            sa.ForeignKey("subscribers.subscriber_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("region", sa.String(40), primary_key=True),
        sa.Column("topics", sa.Text, nullable=False),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent_channel", sa.String(40), nullable=False),
    )
    op.create_table(
        "subscription_topics",
        sa.Column("region", sa.String(40), primary_key=True),
        sa.Column("topic", sa.String(40), primary_key=True),
        sa.Column("subscriber_id", sa.String(200), primary_key=True),
    )
    op.create_index("ix_subscription_topics_subscriber", "subscription_topics", ["subscriber_id", "region"])


def downgrade() -> None:
    op.drop_index("ix_subscription_topics_subscriber", table_name="subscription_topics")
    op.drop_table("subscription_topics")
    op.drop_table("subscriptions")
    op.drop_table("subscribers")
