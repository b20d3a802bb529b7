"""The relational schema of concerns (SQLAlchemy Core). Changes go through Alembic (``migrations/``)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from bot.schema import metadata

concerns = Table(
    "concerns",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ticket", String(6), nullable=False, unique=True),
    Column("category", String(40), nullable=False),
    Column("ministry", String(40), nullable=False),
    Column("region", String(40), nullable=False, default=""),
    Column("place", String(200), nullable=False, default=""),  #: redacted
    Column("language", String(8), nullable=False),
    Column("channel", String(40), nullable=False),
    #: channel:address, to tell the citizen about changes; emptied by "delete my data".
    Column("subscriber", String(200), nullable=False, default=""),
    Column("description", Text, nullable=False),  #: redacted: what analysts and other readers see
    Column("original", Text, nullable=True),  #: as typed, only with consent to be contacted
    Column("contact_consent", Boolean, nullable=False, default=False),
    Column("status", String(20), nullable=False),
    Column("public_note", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    #: When the texts were removed at the end of the retention period (counts and categories remain).
    Column("texts_purged_at", DateTime(timezone=True), nullable=True),
    Index("ix_concerns_ministry_created", "ministry", "created_at"),
    Index("ix_concerns_created", "created_at"),
    Index("ix_concerns_category", "category"),
    Index("ix_concerns_region", "region"),
    Index("ix_concerns_status", "status"),
    Index("ix_concerns_subscriber", "subscriber"),
)

concern_events = Table(
    "concern_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("concern_id", Integer, ForeignKey("concerns.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(80), nullable=False),  #: API key id, "citizen" or "system"
    Column("from_status", String(20), nullable=True),
    Column("to_status", String(20), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Index("ix_concern_events_concern", "concern_id"),
)

#: The outbox: a status change's notice for the citizen, written in the change's transaction and
#: relayed to the fan-out queue (then deleted), so that a queue outage after the commit loses nothing.
concern_notices = Table(
    "concern_notices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    #: The history entry of the change (never reused, unlike the ids of this table's deleted rows).
    Column("change_id", Integer, nullable=False),
    Column("ticket", String(6), nullable=False),
    Column("subscriber", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_concern_notices_subscriber", "subscriber"),
)
