"""Numbered choices on channels without buttons: numbering the options, and reading a typed number back.

Every channel that cannot show buttons (SMS, WhatsApp, Messenger's text fallback, USSD) numbers the
options the same way, and a citizen who types "2" picks the second option offered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.assistant.replies import Reply, parse_payload

_NUMBER = re.compile(r"\d+")


def numbered_lines(titles: Sequence[str]) -> list[str]:
    """``1. first``, ``2. second``..."""
    return [f"{number}. {title}" for number, title in enumerate(titles, start=1)]


def for_channel(
    replies: tuple[Reply, ...], home_payload: str, *, text_only: bool, navigating: bool
) -> tuple[Reply, ...]:
    """The replies as a channel shows them.

    Without buttons (``text_only``), typing 0 is the way home, so the home option is dropped, and a
    follow-up offer joins the answer before it (one message, one SMS). A channel with its own Back and
    Home (``navigating``: USSD) leaves follow-up offers out: Back is the way to the other aspects.
    """
    laid_out: list[Reply] = []
    for reply in replies:
        if reply.follow_up and navigating:
            continue
        if text_only:
            options = tuple(o for o in reply.options if o.payload != home_payload)
            if reply.follow_up and laid_out and not laid_out[-1].options:
                reply = Reply(f"{laid_out.pop().text}\n{reply.text}", options)
            else:
                reply = Reply(reply.text, options, awaits_text=reply.awaits_text, by_person=reply.by_person)
        laid_out.append(reply)
    return tuple(laid_out)


def numbered_text(reply: Reply, hint: str) -> str:
    """A reply for a channel without buttons: its options become a numbered list after ``hint``."""
    if not reply.options:
        return reply.text
    return "\n".join([reply.text, hint, *numbered_lines([option.title for option in reply.options])])


def typed_number(text: str, count: int, *, anywhere: bool = False) -> int | None:
    """The option (1-based) a typed number picks among ``count``; None when it picks none.

    The whole text must be the number, unless ``anywhere`` (the text was understood as a choice:
    "number 2", "2."), so that a typed answer with a number in it ("Street 5") is not taken for one.
    """
    stripped = text.strip()
    if anywhere:
        match = _NUMBER.search(stripped)
        number = int(match.group()) if match else 0
    else:
        number = int(stripped) if stripped.isdigit() else 0
    return number if 1 <= number <= count else None


def chosen_payload(
    text: str, offered: Sequence[object], *, anywhere: bool = False
) -> tuple[str, dict[str, str]] | None:
    """The intent and entities of the offered option a typed number picks (options are payloads)."""
    number = typed_number(text, len(offered), anywhere=anywhere)
    return parse_payload(str(offered[number - 1])) if number else None
