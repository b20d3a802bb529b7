"""Ministry API keys: issued once, stored only as a SHA-256 digest, checked in constant time.

A key reads ``bz_<key id>_<secret>`` and belongs to a named person (``person``, e.g. a staff number):
one person may hold several keys, and the two-person rule of alert approval compares persons, not keys.
The key id is public (it names the key in audit trails and
in ``revoke``); the secret is 32 random bytes, so a fast hash is enough (no password stretching is
needed for a secret nobody chose). The plain key is shown once, when created, and never stored.
Keys are records: they live in the database (``bot/auth/tables.py``), not in Redis.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from bot.auth.roles import Actor, Role
from bot.auth.tables import api_keys

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine, Row

PREFIX = "bz"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _utc(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


@dataclass(frozen=True)
class KeyInfo:
    """What is stored about a key (never the key itself)."""

    key_id: str
    ministry: str
    role: Role
    name: str
    created_at: str
    person: str = ""
    desks: tuple[str, ...] = ()  #: an agent key's handoff desks


@dataclass(frozen=True)
class StoredKey:
    """A key as stored elsewhere before (the migration from Redis brings it here unchanged)."""

    info: KeyInfo
    digest: str


def _info(row: Row[Any]) -> KeyInfo:
    return KeyInfo(
        row.key_id,
        row.ministry,
        Role(row.role),
        row.name,
        _utc(row.created_at).isoformat(),
        row.person,
        tuple((row.desks or "").split()),
    )


class ApiKeyStore:
    """Creates, checks, lists and revokes API keys."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create(
        self,
        ministry: str,
        role: Role,
        name: str,
        now: datetime,
        *,
        person: str = "",
        desks: tuple[str, ...] = (),
    ) -> tuple[str, KeyInfo]:
        """A new key for ``ministry`` with ``role``, held by ``person``; returns the plain key (shown
        once) and its info. An agent key names the handoff ``desks`` it answers for (at least one)."""
        if (role is Role.AGENT) != bool(desks):
            raise ValueError("an agent key names at least one desk, and only an agent key names desks")
        key_id = secrets.token_hex(6)
        key = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
        info = KeyInfo(
            key_id=key_id,
            ministry=ministry,
            role=role,
            name=name,
            created_at=now.isoformat(),
            person=person.strip(),
            desks=tuple(sorted(set(desks))),
        )
        self.adopt(StoredKey(info, _digest(key)))
        return key, info

    def adopt(self, stored: StoredKey) -> bool:
        """Keep a key issued before (its digest, not a new secret); False if its id is already here."""
        info = stored.info
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    insert(api_keys).values(
                        key_id=info.key_id,
                        digest=stored.digest,
                        ministry=info.ministry,
                        role=info.role.value,
                        name=info.name,
                        person=info.person,
                        desks=" ".join(info.desks),
                        created_at=_utc(datetime.fromisoformat(info.created_at)),
                    )
                )
        except IntegrityError:
            return False
        return True

    def authenticate(self, key: str) -> Actor | None:
        """The holder of ``key``, or None for an unknown, malformed or revoked key."""
        parts = key.strip().split("_", 2)
        if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or len(key) > 200:
            return None
        with self._engine.connect() as connection:
            row = connection.execute(select(api_keys).where(api_keys.c.key_id == parts[1])).first()
        if row is None or not hmac.compare_digest(row.digest, _digest(key.strip())):
            return None
        return Actor(
            key_id=row.key_id,
            ministry=row.ministry,
            role=Role(row.role),
            name=row.name,
            person=row.person,
            desks=frozenset((row.desks or "").split()),
        )

    def list(self) -> list[KeyInfo]:
        """Every key's info, by ministry then name."""
        with self._engine.connect() as connection:
            infos = [_info(row) for row in connection.execute(select(api_keys))]
        return sorted(infos, key=lambda i: (i.ministry, i.name, i.key_id))  # the same on both databases

    def revoke(self, key_id: str) -> bool:
        """Delete a key; False if there was none."""
        with self._engine.begin() as connection:
            return bool(connection.execute(delete(api_keys).where(api_keys.c.key_id == key_id)).rowcount)
