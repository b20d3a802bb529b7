"""Subscribers of concerns and their notices get conversation ids scoped by channel.

See ``bot/subscriptions/scoped_ids.py`` for the mapping (``telegram:12345`` becomes
``telegram:telegram:12345``...). Not reversible: the web chat's ids become digests.

Revision ID: 0003_scoped_ids
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.subscriptions.scoped_ids import scoped_subscriber_id

revision = "0003_scoped_ids"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    for table in ("concerns", "concern_notices"):
        rows = connection.execute(
            sa.text(f"SELECT DISTINCT subscriber FROM {table} WHERE subscriber <> ''")  # noqa: S608 - fixed names
        ).fetchall()
        for (old,) in rows:
            new = scoped_subscriber_id(str(old))
            if new != old:
                connection.execute(
                    sa.text(f"UPDATE {table} SET subscriber = :new WHERE subscriber = :old"),  # noqa: S608
                    {"new": new, "old": old},
                )


def downgrade() -> None:
    """Nothing to undo that can be undone (digests cannot be reversed); ids stay scoped."""
