"""The concerns database: engines made ready for concurrent use, the schema migrated both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.concerns.database import downgrade_all, main, make_engine, upgrade


def test_sqlite_gets_wal_foreign_keys_and_its_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'folder' / 'concerns.db'}"
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert (tmp_path / "nested" / "folder").is_dir()
    engine.dispose()


def test_a_database_error_carries_no_value_a_citizen_wrote(tmp_path: Path) -> None:
    """Errors are logged; the statement's values (descriptions, contacts) must not be in them."""
    from sqlalchemy.exc import DBAPIError

    engine = make_engine(f"sqlite:///{tmp_path / 'concerns.db'}")
    with pytest.raises(DBAPIError) as raised, engine.connect() as connection:
        connection.execute(text("INSERT INTO missing (x) VALUES (:x)"), {"x": "Zawadi +254700111222"})
    assert "Zawadi" not in str(raised.value) and "254700111222" not in str(raised.value)
    engine.dispose()


def test_the_migrations_go_up_and_down_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'concerns.db'}"
    upgrade(url)
    engine = make_engine(url)
    assert {"concerns", "concern_events", "concern_notices"} <= set(inspect(engine).get_table_names())
    upgrade(url)  # nothing left to apply: idempotent
    downgrade_all(url)
    engine.dispose()
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_the_command_migrates_the_configured_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'baraza.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["downgrade"]) == 2 and "usage" in capsys.readouterr().err
    assert main(["upgrade"]) == 0 and "up to date" in capsys.readouterr().out
    engine = make_engine(url)
    assert "concerns" in inspect(engine).get_table_names()
    engine.dispose()
