"""Crisis information: the answer to a topic, or the topics to choose from."""

from __future__ import annotations

from bot.assistant.crisis import answer_crisis
from bot.assistant.menus import crisis_menu
from bot.assistant.replies import parse_payload
from bot.catalogue.bundle import Catalogues


def test_a_topic_is_answered_with_its_source_and_review_date(catalogues: Catalogues) -> None:
    topic = catalogues.crisis.topic("testing", "pt")
    entry = catalogues.crisis.entry("testing")
    source = catalogues.locales["pt"].text(
        "crisis_source", source=entry.source, reviewed=entry.reviewed.isoformat()
    )
    [reply] = answer_crisis(catalogues, "pt", "testing").replies
    assert reply.text == f"{topic.title}\n{topic.answer}\n{source}" and reply.options == ()


def test_no_or_an_unknown_topic_offers_the_topics(catalogues: Catalogues) -> None:
    for topic in (None, "alien_invasion"):
        [reply] = answer_crisis(catalogues, "ar", topic).replies
        assert reply.text == catalogues.locales["ar"].text("crisis_menu")
        assert reply.options == crisis_menu(catalogues, "ar")


def test_a_question_the_knowledge_base_does_not_answer_says_so_and_offers_a_person(
    catalogues: Catalogues,
) -> None:
    outcome = answer_crisis(catalogues, "sw", None, unanswered=True)
    assert outcome.unanswered == "no_answer"  # counted for the analysts
    [reply] = outcome.replies
    assert reply.text == catalogues.locales["sw"].text("crisis_unknown")
    assert parse_payload(reply.options[0].payload) == ("human_handoff", {})
    assert reply.options[1:] == crisis_menu(catalogues, "sw")
