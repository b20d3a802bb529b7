"""What a citizen is told of their handoff to a person, in their language and worded for their channel.

Asked: a person is coming (their place and the expected wait), or nobody is there now (when someone
will be, and a message to leave for a call back). Danger: the emergency number first. Then, as the desk
works: their new place, a person is with them, the person's words, another desk, and the end (the
assistant is back and asks for a rating, then an optional comment).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.assistant.channel_kinds import channel_text
from bot.assistant.questions import QUESTION_ENTITY, question_id, yes_no
from bot.assistant.replies import Option, Outcome, Reply
from bot.catalogue.bundle import Catalogues
from bot.handoff.model import Status
from bot.handoff.relay import CitizenNotice, NoticeKind
from bot.handoff.service import Ticket

#: The pending question "leave a message for a call back?" (yes or no).
WAITING_FOR_CALLBACK = "handoff_callback"
#: The citizen is asked to type the message for the call back.
WAITING_FOR_MESSAGE = "handoff_message"
#: The citizen is asked to rate the person (1 to 5).
WAITING_FOR_RATING = "handoff_rating"
#: The citizen may add a comment to their rating.
WAITING_FOR_COMMENT = "handoff_comment"
#: The scores a citizen may give.
SCORES = ("1", "2", "3", "4", "5")


def minutes(wait: timedelta | None) -> int:
    """The wait in whole minutes, never less than one (a person is never "0 minutes" away)."""
    return max(1, round(wait.total_seconds() / 60)) if wait else 1


def asked(
    catalogues: Catalogues,
    language: str,
    channel: str,
    ticket: Ticket,
    *,
    ministry: str,
    not_understood: bool = False,
) -> Outcome:
    """The answer to a citizen handed over: the emergency number first when in danger, then a person
    is coming (their place and wait), or nobody is there now and a message may be left."""
    locale = catalogues.locales[language]
    handoff = ticket.handoff
    replies: list[Reply] = []
    if handoff.urgent:
        replies.append(Reply(locale.text("handoff_distress")))
    elif not_understood:
        replies.append(Reply(locale.text("handoff_not_understood")))
    if not ticket.open:
        when = ticket.next_opening
        if when is None:
            question = locale.text("handoff_closed_later")
        else:
            question = locale.text("handoff_closed", when=when.strftime("%Y-%m-%d %H:%M"))
        name = question_id(WAITING_FOR_CALLBACK, question)
        options = yes_no(locale.text("handoff_message_yes"), locale.text("handoff_message_no"), name)
        pending = {"kind": WAITING_FOR_CALLBACK, QUESTION_ENTITY: name, "ministry": ministry}
        return Outcome((*replies, Reply(question, options)), {"pending": pending})
    if handoff.status is Status.CLAIMED:
        replies.append(Reply(channel_text(locale, "handoff_claimed", channel)))
    elif handoff.urgent:
        replies.append(Reply(channel_text(locale, "handoff_urgent", channel)))
    else:
        text = channel_text(
            locale, "handoff_queued", channel, position=ticket.position, minutes=minutes(ticket.expected_wait)
        )
        replies.append(Reply(text))
    return Outcome(tuple(replies))


def ask_for_message(catalogues: Catalogues, language: str, channel: str, ministry: str) -> Outcome:
    """Yes to leaving a message: ask for it (the ministry named, and how it will contact them)."""
    locale = catalogues.locales[language]
    name = locale.ministry_names.get(ministry, ministry)
    text = channel_text(locale, "handoff_leave_message", channel, ministry=name)
    return Outcome(
        (Reply(text, awaits_text=True),), {"pending": {"kind": WAITING_FOR_MESSAGE, "ministry": ministry}}
    )


def message_filed(catalogues: Catalogues, language: str, ministry: str, ticket: str) -> Outcome:
    """The call-back message became a concern of the desk's ministry."""
    locale = catalogues.locales[language]
    text = locale.text(
        "handoff_message_filed", ministry=locale.ministry_names.get(ministry, ministry), ticket=ticket
    )
    return Outcome((Reply(text),))


def no_message(catalogues: Catalogues, language: str) -> Outcome:
    """No to leaving a message."""
    return Outcome((Reply(catalogues.locales[language].text("handoff_no_message")),))


def notice_replies(
    catalogues: Catalogues, language: str, channel: str, notice: CitizenNotice
) -> tuple[tuple[Reply, ...], dict[str, Any]]:
    """What one notice of the desk says to the citizen, and what the conversation remembers."""
    locale = catalogues.locales[language]
    wait = minutes(timedelta(seconds=notice.expected_wait_seconds or 0))
    if notice.kind is NoticeKind.PLACE:
        return (Reply(locale.text("handoff_place", position=notice.position, minutes=wait)),), {}
    if notice.kind is NoticeKind.TRANSFERRED:
        text = locale.text("handoff_transferred", position=notice.position, minutes=wait)
        return (Reply(text),), {}
    if notice.kind is NoticeKind.CLAIMED:
        return (Reply(channel_text(locale, "handoff_claimed", channel)),), {}
    if notice.kind is NoticeKind.AGENT_REPLY:
        return (Reply(notice.text, by_person=True),), {}
    options = tuple(Option(score, score) for score in SCORES)
    pending = {"kind": WAITING_FOR_RATING, "handoff_id": notice.handoff_id}
    return (Reply(locale.text("handoff_ended"), options),), {"pending": pending}


def score_of(text: str) -> int | None:
    """The rating in a citizen's answer ("4", " 5 "), or None."""
    stripped = text.strip()
    return int(stripped) if stripped in SCORES else None


def rated(catalogues: Catalogues, language: str, handoff_id: str, score: int) -> Outcome:
    """Thanks for the rating, and the offer of a comment."""
    locale = catalogues.locales[language]
    pending = {"kind": WAITING_FOR_COMMENT, "handoff_id": handoff_id, "score": score}
    return Outcome((Reply(locale.text("handoff_comment_ask"), awaits_text=True),), {"pending": pending})


def commented(catalogues: Catalogues, language: str) -> Outcome:
    """Thanks for the comment."""
    return Outcome((Reply(catalogues.locales[language].text("handoff_comment_thanks")),))


def held(catalogues: Catalogues, language: str, channel: str) -> str:
    """Said on a channel that must answer each request (USSD) while a person holds the conversation."""
    return channel_text(catalogues.locales[language], "handoff_held", channel)
