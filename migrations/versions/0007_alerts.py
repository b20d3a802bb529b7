"""Alert records, their history and their outbox move from Redis to the database (``python -m
bot.runtime.records migrate`` copies the old ones).

Revision ID: 0007_alerts
Revises: 0006_agent_desks
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_alerts"
down_revision = "0006_agent_desks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("alert_id", sa.String(40), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("ministry", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("effective", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cap_sender", sa.String(200), nullable=False),
        sa.Column("cap_identifier", sa.String(200), nullable=False),
        sa.Column("cap_sent", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.String(40), nullable=False),
        sa.Column("approved_by", sa.String(40), nullable=False),
        sa.Column("submitted_by_person", sa.String(80), nullable=False),
        sa.Column("approved_by_person", sa.String(80), nullable=False),
        sa.Column("superseded_by", sa.String(40), nullable=False),
        sa.UniqueConstraint("cap_sender", "cap_identifier", name="uq_alerts_cap_identity"),
    )
    op.create_index("ix_alerts_ministry_created", "alerts", ["ministry", "created_at"])
    op.create_index("ix_alerts_created", "alerts", ["created_at"])
    op.create_index("ix_alerts_status_expires", "alerts", ["status", "expires"])
    op.create_table(
        "alert_events",
        sa.Column(
            "alert_id",
            sa.String(40),
            sa.ForeignKey("alerts.alert_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("move", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(40), nullable=False),
        sa.Column("person", sa.String(80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=False),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_table(
        "alert_outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("alert_id", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("effects", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("alert_id", "version", name="uq_alert_outbox_change"),
    )


def downgrade() -> None:
    op.drop_table("alert_outbox")
    op.drop_table("alert_events")
    op.drop_index("ix_alerts_status_expires", table_name="alerts")
    op.drop_index("ix_alerts_created", table_name="alerts")
    op.drop_index("ix_alerts_ministry_created", table_name="alerts")
    op.drop_table("alerts")
