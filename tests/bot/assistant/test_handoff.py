"""The words of a handoff: the wait in whole minutes, the scores, the closed desk's question."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.assistant.handoff import WAITING_FOR_CALLBACK, asked, minutes, notice_replies, score_of
from bot.catalogue.bundle import Catalogues
from bot.handoff.model import Handoff, Status, Trigger
from bot.handoff.relay import CitizenNotice, NoticeKind
from bot.handoff.service import Ticket

AT = datetime(2026, 12, 6, 7, 0, tzinfo=timezone.utc)


def _handoff(**changes: object) -> Handoff:
    base = Handoff("h_1", "web:ana", "socketio", "en", "citizen_services", Trigger.ASKED, AT)
    return Handoff(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def test_a_wait_is_never_less_than_a_minute() -> None:
    assert minutes(None) == 1
    assert minutes(timedelta(seconds=10)) == 1
    assert minutes(timedelta(minutes=14, seconds=40)) == 15


def test_only_1_to_5_is_a_score() -> None:
    assert [score_of(t) for t in ("1", " 5 ", "0", "6", "four", "")] == [1, 5, None, None, None, None]


def test_a_closed_desk_asks_whether_to_leave_a_message_for_its_ministry(catalogues: Catalogues) -> None:
    opening = datetime(2026, 12, 7, 8, 0, tzinfo=timezone(timedelta(hours=3)))
    ticket = Ticket(
        _handoff(status=Status.ABANDONED), open=False, position=None, expected_wait=None, next_opening=opening
    )
    outcome = asked(catalogues, "en", "twilio", ticket, ministry="interior")
    [question] = outcome.replies
    assert question.text == catalogues.locales["en"].text("handoff_closed", when="2026-12-07 08:00")
    assert len(question.options) == 2
    assert outcome.remember["pending"]["kind"] == WAITING_FOR_CALLBACK
    assert outcome.remember["pending"]["ministry"] == "interior"


def test_danger_says_the_emergency_number_before_anything_else(catalogues: Catalogues) -> None:
    ticket = Ticket(
        _handoff(trigger=Trigger.DISTRESS), open=True, position=1, expected_wait=None, next_opening=None
    )
    outcome = asked(catalogues, "ar", "socketio", ticket, ministry="interior")
    assert [r.text for r in outcome.replies] == [
        catalogues.locales["ar"].text("handoff_distress"),
        catalogues.locales["ar"].text("handoff_urgent"),
    ]


def test_the_end_asks_for_a_rating_remembered_for_the_next_turn(catalogues: Catalogues) -> None:
    replies, remember = notice_replies(catalogues, "pt", "twilio", CitizenNotice(NoticeKind.ENDED, "h_1"))
    assert [o.payload for o in replies[0].options] == ["1", "2", "3", "4", "5"]
    assert remember["pending"]["handoff_id"] == "h_1"
