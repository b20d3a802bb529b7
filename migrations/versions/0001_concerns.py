"""Concerns and their status history.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "concerns",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ticket", sa.String(6), nullable=False, unique=True),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("ministry", sa.String(40), nullable=False),
        sa.Column("region", sa.String(40), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("subscriber", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("original", sa.Text, nullable=True),
        sa.Column("contact_consent", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("public_note", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("texts_purged_at", sa.DateTime(timezone=True), nullable=True),
    )
    for name, columns in (
        ("ix_concerns_ministry_created", ["ministry", "created_at"]),
        ("ix_concerns_created", ["created_at"]),
        ("ix_concerns_category", ["category"]),
        ("ix_concerns_region", ["region"]),
        ("ix_concerns_status", ["status"]),
        ("ix_concerns_subscriber", ["subscriber"]),
    ):
        op.create_index(name, "concerns", columns)
    op.create_table(
        "concern_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("concern_id", sa.Integer, sa.ForeignKey("concerns.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_concern_events_concern", "concern_events", ["concern_id"])


def downgrade() -> None:
    op.drop_table("concern_events")
    op.drop_table("concerns")
