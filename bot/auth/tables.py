"""The relational schema of ministry API keys. Changes go through Alembic (``migrations/``)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, String, Table

from bot.schema import metadata

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(24), primary_key=True),  #: public: names the key in audit trails
    Column("digest", String(64), nullable=False),  #: SHA-256 of the whole key, hex; never the key
    Column("ministry", String(40), nullable=False),
    Column("role", String(20), nullable=False),
    Column("name", String(200), nullable=False),
    Column("person", String(80), nullable=False, default=""),
    #: an agent key's handoff desks, space-separated (migration 0006); "" for every other role
    Column("desks", String(400), nullable=False, default="", server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_api_keys_ministry", "ministry"),
)
