"""Answers about administrative services: a specific aspect, or an overview with choices."""

from __future__ import annotations

from typing import Any

from bot.assistant.conversation import fallback
from bot.assistant.menus import home_option, service_menu
from bot.assistant.replies import Option, Outcome, Reply, intent_payload
from bot.catalogue.bundle import Catalogues
from bot.catalogue.services import ASPECTS
from bot.phrases import cues_found

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
#: The pending question "which service?": its ``aspect`` is what the citizen asked about (the fee...),
#: ``again`` that the question was already asked a second time (the next miss goes on instead).
WAITING_FOR_SERVICE = "service_choice"
#: A service question the classifier is less sure of than this, naming no service, with none in the
#: conversation, was most often no service question ("¿cuál es la capital de Canadá?", "tell me about
#: the oscars", "Dá-me as horas."): the assistant says it did not understand rather than ask "which
#: service?" (bench/real dev: 14 of the 24 general questions taken for a service question naming
#: none; 0.5: 8, 0.7: 15, and from 0.7 in-scope follow-ups of the held-out set start to fall below).
UNSURE_SERVICE_QUESTION = 0.6


def unsure_service_question(confidence: float, service_known: bool) -> bool:
    """Whether a service question is answered with the fallback rather than "which service?"."""
    return not service_known and confidence < UNSURE_SERVICE_QUESTION


def waiting_for_service(pending: object) -> dict[str, Any] | None:
    """The pending "which service?" question, or None."""
    return pending if isinstance(pending, dict) and pending.get("kind") == WAITING_FOR_SERVICE else None


def aspect_in_text(catalogues: Catalogues, text: str) -> str | None:
    """The aspect a text asks about by its cue words in any language (``service_aspect_cues``: "fee",
    "ada", "رسوم"...); None when no aspect has more cues than every other."""
    counts = sorted(
        ((len(cues_found(text, cues)), aspect) for aspect, cues in catalogues.locales.aspect_cues().items()),
        reverse=True,
    )
    if not counts or counts[0][0] == 0 or (len(counts) > 1 and counts[1][0] == counts[0][0]):
        return None
    return counts[0][1] if counts[0][1] in ASPECTS else None


def ask_which_service(
    catalogues: Catalogues, language: str, aspect: str, *, named_unknown: bool = False, again: bool = False
) -> Outcome:
    """Every service as a choice, remembering the aspect asked; ``again``: the answer named none."""
    locale = catalogues.locales[language]
    key = "service_unknown" if named_unknown else "service_not_found" if again else "service_which"
    intent = INTENT_FOR_ASPECT.get(aspect, "service_overview")
    pending = {"kind": WAITING_FOR_SERVICE, "aspect": aspect, "again": again}
    options = service_menu(catalogues, language, intent)
    return Outcome((Reply(locale.text(key), options),), {"pending": pending})


def answer_service_choice(
    catalogues: Catalogues,
    language: str,
    pending: dict[str, Any],
    service_id: str | None,
    text: str,
    asked_aspect: str = "overview",
    named_unknown: bool = False,
) -> Outcome:
    """What the citizen answered to "which service?", typed as a sentence ("the fee for a passport",
    "for my driving licence please"): the service it names, about the aspect it asks (the intent's,
    else its cue words, else the one asked before the question). Naming none, the question is asked
    once more; after that the conversation goes on (the main menu), never the same question again."""
    aspect = asked_aspect if asked_aspect != "overview" else None
    aspect = aspect or aspect_in_text(catalogues, text) or str(pending.get("aspect") or "overview")
    if service_id is not None and catalogues.services.get(service_id) is not None:
        return answer_service(catalogues, language, service_id, aspect)
    if pending.get("again"):
        return fallback(catalogues, language)
    return ask_which_service(catalogues, language, aspect, named_unknown=named_unknown, again=True)


def list_services(catalogues: Catalogues, language: str) -> Outcome:
    """Every service, as choices."""
    return ask_which_service(catalogues, language, "overview")


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
        return ask_which_service(catalogues, language, aspect, named_unknown=named_unknown)
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
