"""Answers about administrative services: a specific aspect, or an overview with choices."""

from __future__ import annotations

from bot.assistant.menus import home_option, service_menu
from bot.assistant.replies import Option, Outcome, Reply, intent_payload
from bot.catalogue.bundle import Catalogues
from bot.catalogue.services import ASPECTS

#: The NLU intent for each aspect a citizen can ask about.
ASPECT_INTENTS = {
    "service_overview": "overview",
    "service_eligibility": "eligibility",
    "service_documents": "documents",
    "service_fee": "fee",
    "service_processing_time": "processing_time",
    "service_where": "where_to_apply",
    "service_hours": "opening_hours",
}
INTENT_FOR_ASPECT = {aspect: intent for intent, aspect in ASPECT_INTENTS.items()}


def list_services(catalogues: Catalogues, language: str) -> Outcome:
    """Every service, as choices."""
    text = catalogues.locales[language].text("service_which")
    return Outcome((Reply(text, service_menu(catalogues, language, "service_overview")),))


def answer_service(
    catalogues: Catalogues, language: str, service_id: str | None, aspect: str, named_unknown: bool = False
) -> Outcome:
    """Answer ``aspect`` of a service, keeping the service in context for follow-ups.

    Args:
        service_id: the service asked about (from the question, or the conversation so far).
        aspect: one of :data:`ASPECTS`.
        named_unknown: the citizen named something that is not in the catalogue.
    """
    locale = catalogues.locales[language]
    if service_id is None or catalogues.services.get(service_id) is None:
        key = "service_unknown" if named_unknown else "service_which"
        intent = INTENT_FOR_ASPECT.get(aspect, "service_overview")
        return Outcome((Reply(locale.text(key), service_menu(catalogues, language, intent)),))
    service = catalogues.services.text(service_id, language)
    remember = {"service": service_id, "aspect": aspect}
    if aspect == "overview":
        choices = tuple(
            Option(
                locale.text(f"aspect_{other}"), intent_payload(INTENT_FOR_ASPECT[other], service=service_id)
            )
            for other in ASPECTS
            if other != "overview"
        )
        return Outcome(
            (
                Reply(
                    locale.text("service_overview", name=service.name, overview=service.answer("overview"))
                ),
                Reply(locale.text("service_more", name=service.name), choices),
            ),
            remember,
        )
    body = service.answer(aspect)
    if aspect == "where_to_apply":
        url = catalogues.services.services[service_id].online_url
        if url:
            body = f"{body}\n{locale.text('service_online', url=url)}"
    heading = locale.text("service_answer", name=service.name, aspect=locale.text(f"aspect_{aspect}"))
    # Not a dead end: the other aspects of the same service, and the way home.
    others = tuple(
        Option(locale.text(f"aspect_{other}"), intent_payload(INTENT_FOR_ASPECT[other], service=service_id))
        for other in ASPECTS
        if other not in (aspect, "overview")
    )
    offer = Reply(
        locale.text("service_other_aspects", name=service.name),
        (*others, home_option(catalogues, language)),
        follow_up=True,
    )
    return Outcome((Reply(f"{heading}\n{body}"), offer), remember)
