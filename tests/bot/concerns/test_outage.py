"""A database that fails in the middle of filing leaves nothing half-written, on both databases.

PostgreSQL is reached through a TCP proxy the test cuts right after the concern row is sent, before
its history entry and the commit: a real network outage mid-transaction. Both databases are also made
to refuse the history entry itself. Either way no concern row remains, and filing again afterwards
works and stores it once.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import suppress
from datetime import datetime, timezone
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.concerns.database import make_engine
from bot.concerns.model import NewConcern
from bot.concerns.store import ConcernStore
from bot.concerns.tables import concern_events, concerns

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
NEW = NewConcern("health", "No nurse at the clinic.", "lakes", "Ziwani", "en", "rest", "rest:outage", False)


class CuttableProxy:
    """Forwards TCP connections to PostgreSQL until :meth:`cut` drops them all."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.open = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.open:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.open = False
        self.listener.close()
        for sock in self.sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def _stored(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        return (
            connection.execute(select(func.count()).select_from(concerns)).scalar_one(),
            connection.execute(select(func.count()).select_from(concern_events)).scalar_one(),
        )


@pytest.fixture()
def postgres_behind_proxy(migrated_postgres: str) -> Iterator[tuple[Engine, Engine, CuttableProxy]]:
    """(direct engine, engine through the proxy, proxy) on an emptied PostgreSQL."""
    direct = make_engine(migrated_postgres)
    with direct.begin() as connection:
        connection.execute(text("DELETE FROM concern_events"))
        connection.execute(text("DELETE FROM concerns"))
    proxy = CuttableProxy((direct.url.host or "127.0.0.1", direct.url.port or 5432))
    proxied = make_engine(
        direct.url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    )
    yield direct, proxied, proxy
    proxy.cut()
    proxied.dispose()
    direct.dispose()


def test_postgresql_network_cut_mid_filing_leaves_nothing(
    postgres_behind_proxy: tuple[Engine, Engine, CuttableProxy],
) -> None:
    engine, proxied, proxy = postgres_behind_proxy

    @event.listens_for(proxied, "after_cursor_execute")
    def cut_after_the_concern_row(*args: Any) -> None:
        if args[2].lstrip().upper().startswith("INSERT INTO CONCERNS"):
            proxy.cut()

    with pytest.raises(SQLAlchemyError):
        ConcernStore(proxied).create(NEW, ministry="health", description="No nurse.", place="Ziwani", now=NOW)
    assert _stored(engine) == (0, 0)
    ConcernStore(engine).create(NEW, ministry="health", description="No nurse.", place="Ziwani", now=NOW)
    assert _stored(engine) == (1, 1)


def test_a_refused_history_entry_takes_the_concern_back_with_it(engine: Engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON concern_events "
                    "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
                )
            )
        else:
            connection.execute(
                text(
                    "CREATE OR REPLACE FUNCTION refuse() RETURNS trigger AS "
                    "$$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql"
                )
            )
            connection.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON concern_events "
                    "FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )
    try:
        with pytest.raises((SQLAlchemyError, RuntimeError)):
            ConcernStore(engine).create(
                NEW, ministry="health", description="No nurse.", place="Ziwani", now=NOW
            )
        assert _stored(engine) == (0, 0)
    finally:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "DROP TRIGGER refuse" + (" ON concern_events" if engine.dialect.name != "sqlite" else "")
                )
            )
    ConcernStore(engine).create(NEW, ministry="health", description="No nurse.", place="Ziwani", now=NOW)
    assert _stored(engine) == (1, 1)
