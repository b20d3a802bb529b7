"""The relational schema of alert records, their history and their outbox. Changes go through Alembic.

- ``alerts``: one row per alert message (an Alert, an Update or a Cancel) as its ministry manages it.
  The content (texts, regions, times) is JSON written once at creation; what changes (status, who
  submitted and approved, what replaced it) has columns. ``version`` grows by one with every change:
  a change is written only where the version is still the one it read (compare-and-set), so two
  approvers at once cannot both win. The CAP identity (sender, identifier) is unique.
- ``alert_events``: the history, one row per status change (who, which person, when, from, to, note),
  numbered by ``position`` within its alert; never updated.
- ``alert_outbox``: what a change must do outside the database (show or withdraw the alert for
  citizens, queue its fan-out job), written in the change's transaction and applied to Redis by the
  relay (``bot/alerts/outbox.py``), then deleted.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from bot.alerts.model import MAX_CAP_IDENTIFIER
from bot.schema import metadata

alerts = Table(
    "alerts",
    metadata,
    Column("alert_id", String(40), primary_key=True),
    Column("version", Integer, nullable=False),  #: 1 at creation, +1 per change (compare-and-set)
    Column("ministry", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("content", Text, nullable=False),  #: the Alert as JSON (``Alert.to_json``), never changed
    Column("effective", DateTime(timezone=True), nullable=False),  #: copies of the content's times,
    Column("expires", DateTime(timezone=True), nullable=False),  #: for the live and expiry queries
    Column("created_by", String(40), nullable=False),  #: API key id
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("cap_sender", String(200), nullable=False),
    Column("cap_identifier", String(MAX_CAP_IDENTIFIER), nullable=False),
    Column("cap_sent", DateTime(timezone=True), nullable=False),
    Column("submitted_by", String(40), nullable=False, default=""),
    Column("approved_by", String(40), nullable=False, default=""),
    Column("submitted_by_person", String(80), nullable=False, default=""),
    Column("approved_by_person", String(80), nullable=False, default=""),
    Column("superseded_by", String(40), nullable=False, default=""),
    UniqueConstraint("cap_sender", "cap_identifier", name="uq_alerts_cap_identity"),
    Index("ix_alerts_ministry_created", "ministry", "created_at"),
    Index("ix_alerts_created", "created_at"),
    Index("ix_alerts_status_expires", "status", "expires"),
)

alert_events = Table(
    "alert_events",
    metadata,
    Column("alert_id", String(40), ForeignKey("alerts.alert_id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),  #: 0 for the first change of the alert
    Column("move", String(20), nullable=False),
    Column("actor", String(40), nullable=False),  #: API key id, or "system"
    Column("person", String(80), nullable=False, default=""),  #: who held the key; "" for the system
    Column("at", DateTime(timezone=True), nullable=False),
    Column("from_status", String(20), nullable=False),
    Column("to_status", String(20), nullable=False),
    Column("note", Text, nullable=False, default=""),
)

alert_outbox = Table(
    "alert_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", String(40), nullable=False),
    #: The alert's version the change produced: (alert_id, version) names the change for ever, and the
    #: relay's mark in Redis (ids of this table are reused by SQLite once rows are deleted).
    Column("version", Integer, nullable=False),
    Column("effects", Text, nullable=False),  #: JSON (``bot/alerts/effects.py``)
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("alert_id", "version", name="uq_alert_outbox_change"),
)
