"""Ministry API keys move from Redis to the database (``python -m bot.runtime.records migrate``).

Revision ID: 0004_api_keys
Revises: 0003_scoped_ids
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_api_keys"
down_revision = "0003_scoped_ids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.String(24), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("ministry", sa.String(40), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("person", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_api_keys_ministry", "api_keys", ["ministry"])


def downgrade() -> None:
    op.drop_index("ix_api_keys_ministry", table_name="api_keys")
    op.drop_table("api_keys")
