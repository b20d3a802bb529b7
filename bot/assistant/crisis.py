"""Crisis information: the answer to a topic, or the list of topics."""

from __future__ import annotations

from bot.assistant.menus import crisis_menu
from bot.assistant.replies import Outcome, Reply
from bot.catalogue.bundle import Catalogues


def answer_crisis(catalogues: Catalogues, language: str, topic_id: str | None) -> Outcome:
    """The FAQ answer for a topic; the topic menu when the question named none."""
    if topic_id is None or topic_id not in catalogues.crisis.topic_ids:
        text = catalogues.locales[language].text("crisis_menu")
        return Outcome((Reply(text, crisis_menu(catalogues, language)),))
    topic = catalogues.crisis.topic(topic_id, language)
    return Outcome((Reply(f"{topic.title}\n{topic.answer}"),))
