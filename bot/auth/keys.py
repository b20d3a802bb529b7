"""Ministry API keys: issued once, stored only as a SHA-256 digest, checked in constant time.

A key reads ``bz_<key id>_<secret>`` and belongs to a named person (``person``, e.g. a staff number):
one person may hold several keys, and the two-person rule of alert approval compares persons, not keys.
The key id is public (it names the key in audit trails and
in ``revoke``); the secret is 32 random bytes, so a fast hash is enough (no password stretching is
needed for a secret nobody chose). The plain key is shown once, when created, and never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot import redis_keys
from bot.auth.roles import Actor, Role

if TYPE_CHECKING:
    import redis

PREFIX = "bz"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


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


class ApiKeyStore:
    """Creates, checks, lists and revokes API keys."""

    def __init__(self, client: redis.Redis[bytes]) -> None:
        self._redis = client

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
        person = person.strip()
        info = KeyInfo(
            key_id=key_id,
            ministry=ministry,
            role=role,
            name=name,
            created_at=now.isoformat(),
            person=person,
            desks=tuple(sorted(set(desks))),
        )
        record = {
            "digest": _digest(key),
            "ministry": ministry,
            "role": role.value,
            "name": name,
            "person": person,
            "created_at": info.created_at,
            "desks": list(info.desks),
        }
        self._redis.hset(redis_keys.api_keys(), key_id, json.dumps(record))
        return key, info

    def authenticate(self, key: str) -> Actor | None:
        """The holder of ``key``, or None for an unknown, malformed or revoked key."""
        parts = key.strip().split("_", 2)
        if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or len(key) > 200:
            return None
        raw = self._redis.hget(redis_keys.api_keys(), parts[1])
        if raw is None:
            return None
        record = json.loads(raw)
        if not hmac.compare_digest(record["digest"], _digest(key.strip())):
            return None
        return Actor(
            key_id=parts[1],
            ministry=record["ministry"],
            role=Role(record["role"]),
            name=record["name"],
            person=record.get("person", ""),
            desks=frozenset(record.get("desks") or ()),
        )

    def list(self) -> list[KeyInfo]:
        """Every key's info, by ministry then name."""
        infos = []
        for key_id, raw in self._redis.hgetall(redis_keys.api_keys()).items():
            record = json.loads(raw)
            infos.append(
                KeyInfo(
                    key_id.decode(),
                    record["ministry"],
                    Role(record["role"]),
                    record["name"],
                    record["created_at"],
                    record.get("person", ""),
                    tuple(record.get("desks") or ()),
                )
            )
        return sorted(infos, key=lambda i: (i.ministry, i.name, i.key_id))

    def revoke(self, key_id: str) -> bool:
        """Delete a key; False if there was none."""
        return bool(self._redis.hdel(redis_keys.api_keys(), key_id))
