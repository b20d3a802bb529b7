"""The numbers of the rate limits (``config/limits.yml``), and who each bucket belongs to.

Bucket keys hold a digest of the address or key id, never the address itself (no IP address or key
in Redis).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bot import redis_keys
from bot.limits.buckets import Rate
from bot.yaml_files import DataFileError, read_yaml_mapping

#: Metadata flag the Rasa server sets on a message whose text it cut to ``max_message_chars``.
MESSAGE_CUT = "baraza_cut"
#: Metadata flag the Rasa server sets on a message its rate limits refused (dropped unread: the channel
#: must not apologise for the silence, the citizen was told once already).
RATE_LIMITED = "baraza_rate_limited"
#: Every bucket of the file, by name.
NAMES = (
    "messages_per_conversation",
    "messages_per_address",
    "api_per_key",
    "api_per_address",
    "failed_keys_per_address",
    "ticket_lookups_per_address",
    "ticket_lookups_all",
)


@dataclass(frozen=True)
class Limits:
    """Every rate limit Baraza applies."""

    messages_per_conversation: Rate
    messages_per_address: Rate
    api_per_key: Rate
    api_per_address: Rate
    failed_keys_per_address: Rate
    ticket_lookups_per_address: Rate
    ticket_lookups_all: Rate
    lockout_seconds: float
    #: Addresses the per-address limits leave alone.
    exempt_addresses: frozenset[str] = frozenset()

    @property
    def lockout_floor(self) -> float:
        """How far below zero failed key attempts may push their bucket (``lockout_seconds`` deep)."""
        return -self.lockout_seconds * self.failed_keys_per_address.per_second


def load_limits(path: Path) -> Limits:
    """Read the limits file; :class:`DataFileError` names what is wrong."""
    raw = read_yaml_mapping(path)
    try:
        rates = {
            name: Rate(per_second=float(raw[name]["per_second"]), burst=float(raw[name]["burst"]))
            for name in NAMES
        }
        return Limits(
            **rates,
            lockout_seconds=float(raw.get("lockout_seconds", 900)),
            exempt_addresses=frozenset(str(a) for a in raw.get("exempt_addresses") or ()),
        )
    except (KeyError, TypeError, ValueError) as error:
        needed = ", ".join(NAMES)
        raise DataFileError(f"{path}: {error!r} (each of {needed} needs per_second and burst)") from error


def _digest(subject: str) -> str:
    return hashlib.sha256(subject.encode()).hexdigest()[:32]


def bucket(limit: str, subject: str = "") -> str:
    """The Redis key of ``limit``'s bucket for ``subject`` (a conversation, address or key id)."""
    return redis_keys.rate_limit(limit, _digest(subject) if subject else "all")


def told(conversation: str) -> str:
    """The Redis key set while a conversation has been told it is sending too fast."""
    return redis_keys.rate_limit_told(_digest(conversation))
