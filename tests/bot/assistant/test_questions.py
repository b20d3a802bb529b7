"""Yes/no questions are named by what they say; their buttons carry the name."""

from __future__ import annotations

from bot.assistant.questions import (
    QUESTION_ENTITY,
    REMEMBERED_QUESTIONS,
    find_question,
    kind_of,
    question_id,
    remembered,
    yes_no,
)
from bot.assistant.replies import parse_payload


def test_a_question_is_named_by_its_kind_and_its_exact_words() -> None:
    asked = question_id("subscribe_consent", "You will get all alerts for Coast Region, in English.")
    assert asked == question_id("subscribe_consent", "You will get all alerts for Coast Region, in English.")
    assert asked != question_id("subscribe_consent", "You will get all alerts for Coast Region, in French.")
    assert kind_of(asked) == "subscribe_consent" and kind_of("garbage") == ""


def test_its_buttons_name_the_question_they_answer() -> None:
    yes, no = yes_no("Yes, I agree", "No, thanks", "subscribe_consent:0123456789")
    assert parse_payload(yes.payload) == ("affirm", {QUESTION_ENTITY: "subscribe_consent:0123456789"})
    assert parse_payload(no.payload) == ("deny", {QUESTION_ENTITY: "subscribe_consent:0123456789"})
    assert (yes.title, no.title) == ("Yes, I agree", "No, thanks")


def test_the_conversation_remembers_its_last_questions_once_each() -> None:
    asked: list[dict[str, str]] = []
    for n in range(REMEMBERED_QUESTIONS + 2):
        asked = remembered(asked, {"kind": "k", QUESTION_ENTITY: f"k:{n}"})
    asked = remembered(asked, {"kind": "k", QUESTION_ENTITY: f"k:{REMEMBERED_QUESTIONS}", "again": "yes"})
    assert len(asked) == REMEMBERED_QUESTIONS
    assert find_question(asked, "k:0") is None  # long ago
    assert find_question(asked, f"k:{REMEMBERED_QUESTIONS}") == asked[-1]  # asked again: the latest
    assert remembered(None, {QUESTION_ENTITY: "k:x"}) == [{QUESTION_ENTITY: "k:x"}]
    assert find_question("not a list", "k:x") is None
