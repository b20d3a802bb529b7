"""Administrative services: what a service needs, costs, takes, and where to apply."""

from __future__ import annotations

from actions.base import BarazaAction
from actions.turn import Turn
from bot.assistant.conversation import fallback
from bot.assistant.mentions import Kind, Mention, mentioned
from bot.assistant.replies import Outcome
from bot.assistant.services import (
    ASPECT_INTENTS,
    answer_service,
    answer_service_choice,
    list_services,
    unsure_service_question,
    waiting_for_service,
)
from bot.catalogue.bundle import Catalogues


def service_choice_answered(turn: Turn, catalogues: Catalogues, aspect: str = "overview") -> Outcome | None:
    """The answer to a pending "which service?" (the service and aspect found in what was typed, or
    the question once more, then the main menu); None when that question is not pending."""
    pending = waiting_for_service(turn.slots.get("pending"))
    if pending is None:
        return None
    named = mentioned(catalogues, Kind.SERVICE, turn.entities, turn.text, turn.language)
    return answer_service_choice(
        catalogues, turn.language, pending, named.value, turn.text, aspect, named.named_unknown
    )


class ActionListServices(BarazaAction):
    """Every service, as choices."""

    def name(self) -> str:
        return "action_list_services"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        return list_services(catalogues, turn.language)


def service_in_question(turn: Turn, catalogues: Catalogues) -> tuple[Mention, bool]:
    """The service a question is about (named, or the conversation's), and whether the question is
    too unsure to be about a service at all (typed, naming none, none discussed, the classifier unsure:
    :func:`bot.assistant.services.unsure_service_question`), so that the fallback answers it."""
    service = mentioned(
        catalogues, Kind.SERVICE, turn.entities, turn.text, turn.language, turn.slots.get("service")
    )
    known = service.value is not None or service.named_unknown
    return service, bool(turn.text) and unsure_service_question(turn.confidence, known)


class ActionAnswerService(BarazaAction):
    """Answer the aspect asked (from the intent) about the service named or already discussed."""

    def name(self) -> str:
        return "action_answer_service"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        aspect = ASPECT_INTENTS.get(turn.intent, "overview")
        answered = service_choice_answered(turn, catalogues, aspect)
        if answered is not None:
            return answered
        service, unsure = service_in_question(turn, catalogues)
        if unsure:
            return fallback(catalogues, turn.language)
        return answer_service(
            catalogues, turn.language, service.value, aspect, named_unknown=service.named_unknown
        )
