"""The declared schema and the migrations agree, on both databases: a table or column declared in
code but never migrated (or the reverse) would fail at the first request in production."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from bot.schema import every_table


def test_every_declared_table_and_column_exists_after_the_migrations(database: Engine) -> None:
    inspector = inspect(database)
    declared = {table.name: {column.name for column in table.columns} for table in every_table()}
    migrated = {
        name: {column["name"] for column in inspector.get_columns(name)}
        for name in inspector.get_table_names()
        if name != "alembic_version"
    }
    assert migrated == declared
    for table in every_table():
        indexes = {index["name"] for index in inspector.get_indexes(table.name)}
        assert {index.name for index in table.indexes} <= indexes, table.name
