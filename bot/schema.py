"""The one relational schema of Baraza's records (SQLAlchemy Core); each feature declares its tables.

Concerns (``bot/concerns/tables.py``), API keys (``bot/auth/tables.py``), subscriptions and their
consents (``bot/subscriptions/tables.py``), alert records with their history and outbox
(``bot/alerts/tables.py``) share this :data:`metadata`. Changes go through Alembic
(``migrations/``); :func:`every_table` imports every declaration (tests empty the tables with it).
"""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData, Table

metadata = MetaData()

#: The modules that declare tables, imported on demand (no import-time I/O; no feature imports another).
TABLE_MODULES = (
    "bot.concerns.tables",
    "bot.auth.tables",
    "bot.subscriptions.tables",
    "bot.alerts.tables",
)


def every_table() -> list[Table]:
    """Every table, parents before children."""
    for module in TABLE_MODULES:
        importlib.import_module(module)
    return list(metadata.sorted_tables)
