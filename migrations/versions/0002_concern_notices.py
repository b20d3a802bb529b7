"""The outbox of concern notices: a status change's notice, written in the change's transaction.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "concern_notices",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("change_id", sa.Integer, nullable=False),
        sa.Column("ticket", sa.String(6), nullable=False),
        sa.Column("subscriber", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_concern_notices_subscriber", "concern_notices", ["subscriber"])


def downgrade() -> None:
    op.drop_index("ix_concern_notices_subscriber", table_name="concern_notices")
    op.drop_table("concern_notices")
