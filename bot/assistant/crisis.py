"""Crisis information: the knowledge base's answer with its source, the topic menu, or an honest
"I don't know that yet" with the hotlines and a person to talk to."""

from __future__ import annotations

from bot.assistant.menus import crisis_menu
from bot.assistant.replies import Option, Outcome, Reply, intent_payload
from bot.catalogue.bundle import Catalogues


def answer_crisis(
    catalogues: Catalogues, language: str, topic_id: str | None, *, unanswered: bool = False
) -> Outcome:
    """The entry's answer, naming its source and when it was checked; without an entry, the topic menu,
    or, for a question the knowledge base does not answer (``unanswered``), say so and offer help."""
    locale = catalogues.locales[language]
    if topic_id is None or topic_id not in catalogues.crisis.topic_ids:
        if unanswered:
            person = Option(locale.text("menu_person"), intent_payload("human_handoff"))
            options = (person, *crisis_menu(catalogues, language))
            return Outcome((Reply(locale.text("crisis_unknown"), options),), unanswered="no_answer")
        return Outcome((Reply(locale.text("crisis_menu"), crisis_menu(catalogues, language)),))
    topic = catalogues.crisis.topic(topic_id, language)
    entry = catalogues.crisis.entry(topic_id)
    source = locale.text("crisis_source", source=entry.source, reviewed=entry.reviewed.isoformat())
    return Outcome((Reply(f"{topic.title}\n{topic.answer}\n{source}"),))
