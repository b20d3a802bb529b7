"""Yes/no questions and the buttons that answer them: every button belongs to its question.

A question is named by its kind and a digest of exactly what it said (``subscribe_consent:3f9a0c12d4``);
its buttons carry that name in their payload (the ``question`` entity), and the conversation keeps the
last few questions it asked. A button tapped later, after the conversation moved on, is checked against
what the same question would say now: the same words (same region, topics, language, report), and the
answer still does what it said; other words, and the question is closed and asked again. So a "Yes, I
agree" is only ever recorded for the text the citizen agreed to.
"""

from __future__ import annotations

import hashlib
from typing import Any

from bot.assistant.replies import Option, intent_payload

#: The payload entity naming the question a button answers.
QUESTION_ENTITY = "question"
#: How many questions a conversation remembers for buttons tapped late.
REMEMBERED_QUESTIONS = 5


def question_id(kind: str, text: str) -> str:
    """The name of the question of ``kind`` that says ``text``."""
    return f"{kind}:{hashlib.sha256(text.encode()).hexdigest()[:10]}"


def kind_of(question: str) -> str:
    """The kind of a named question ("" for a malformed name)."""
    return question.split(":", 1)[0] if ":" in question else ""


def yes_no(yes: str, no: str, question: str) -> tuple[Option, Option]:
    """Yes and no buttons that belong to ``question``."""
    return (
        Option(yes, intent_payload("affirm", **{QUESTION_ENTITY: question})),
        Option(no, intent_payload("deny", **{QUESTION_ENTITY: question})),
    )


def remembered(asked: object, pending: dict[str, Any]) -> list[dict[str, Any]]:
    """The conversation's recent questions (the ``questions`` slot) with ``pending`` added last."""
    earlier = [q for q in asked if isinstance(q, dict)] if isinstance(asked, list) else []
    kept = [q for q in earlier if q.get(QUESTION_ENTITY) != pending.get(QUESTION_ENTITY)]
    return [*kept, pending][-REMEMBERED_QUESTIONS:]


def find_question(asked: object, question: str) -> dict[str, Any] | None:
    """The remembered question of that name, or None (never asked here, or long ago)."""
    if not isinstance(asked, list):
        return None
    return next((q for q in asked if isinstance(q, dict) and q.get(QUESTION_ENTITY) == question), None)
