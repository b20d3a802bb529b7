"""Ticket references: short, unambiguous on a phone, found in what a citizen types."""

from __future__ import annotations

from bot.concerns.ticket import ALPHABET, LENGTH, find_ticket, new_ticket


def test_ticket_references() -> None:
    tickets = {new_ticket() for _ in range(500)}
    assert len(tickets) == 500 and all(any(c.isdigit() for c in t) for t in tickets)
    assert find_ticket("what is the status of k7p2qx?") == "K7P2QX"
    assert find_ticket("hali ya tiketi K7P2QX ikoje") == "K7P2QX"
    assert find_ticket("please update me") is None  # "PLEASE" is 6 letters but has no digit
    assert not set("01OIL") & set(ALPHABET)


def test_a_reference_is_found_only_as_a_whole_word_of_the_alphabet() -> None:
    assert all(len(t) == LENGTH and set(t) <= set(ALPHABET) for t in (new_ticket() for _ in range(50)))
    assert find_ticket("K7P2QXA") is None  # seven characters: not a reference
    assert find_ticket("K0P2QX") is None  # 0 is not in the alphabet
    assert find_ticket("tickets AB23CD and K7P2QX") == "AB23CD"  # the first one
    assert find_ticket("AB12CD or K7P2QX") == "K7P2QX"  # 1 is not in the alphabet either
    assert find_ticket("") is None
