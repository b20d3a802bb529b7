"""Administrative services: what a service needs, costs, takes, and where to apply."""

from __future__ import annotations

from actions.base import BarazaAction
from actions.turn import Turn
from bot.assistant.mentions import Kind, mentioned
from bot.assistant.replies import Outcome
from bot.assistant.services import ASPECT_INTENTS, answer_service, list_services
from bot.catalogue.bundle import Catalogues


class ActionListServices(BarazaAction):
    """Every service, as choices."""

    def name(self) -> str:
        return "action_list_services"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        return list_services(catalogues, turn.language)


class ActionAnswerService(BarazaAction):
    """Answer the aspect asked (from the intent) about the service named or already discussed."""

    def name(self) -> str:
        return "action_answer_service"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        aspect = ASPECT_INTENTS.get(turn.intent, "overview")
        service = mentioned(
            catalogues, Kind.SERVICE, turn.entities, turn.text, turn.language, turn.slots.get("service")
        )
        return answer_service(
            catalogues, turn.language, service.value, aspect, named_unknown=service.named_unknown
        )
