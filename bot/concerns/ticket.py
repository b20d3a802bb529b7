"""Ticket references short enough to type on a phone keypad and to read out on the phone.

Six characters from an alphabet without look-alikes (no 0/O, 1/I/L): 31^6, about 887 million, so
a collision is rare and is simply retried by the store.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6
_PATTERN = re.compile(rf"\b[{ALPHABET}]{{{LENGTH}}}\b")


def new_ticket() -> str:
    """A random reference with at least one digit (so it is never a word), e.g. ``K7P2QX``."""
    while True:
        ticket = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if any(ch.isdigit() for ch in ticket):
            return ticket


def find_ticket(text: str) -> str | None:
    """A reference in what a citizen typed ("status of k7p2qx?"); None when there is none."""
    for candidate in _PATTERN.findall(text.upper()):
        if any(ch.isdigit() for ch in candidate):  # references always mix in digits: "PLEASE" is a word
            return str(candidate)
    return None
