"""Turns that are routed by what they contain: a lone name ("Bandari") or a numbered choice ("2")."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.alerts import ActionAlertDetails
from actions.base import BarazaAction
from actions.concerns import ActionConcernStatus, start_concern_events
from actions.confirm import ActionConfirm
from actions.conversation import ActionFallback, ActionHandoffDistress, ActionSmallTalk, choice_step_answered
from actions.crisis import ActionActiveAlerts, ActionAnswerCrisis
from actions.language import ActionSwitchLanguage
from actions.privacy import ActionDeleteMyData
from actions.services import ActionAnswerService, ActionListServices, service_choice_answered
from actions.subscriptions import (
    ActionListSubscriptions,
    ActionSubscribeAlerts,
    ActionUnsubscribeAlerts,
)
from actions.turn import Turn
from bot.assistant.choices import chosen_payload
from bot.assistant.conversation import SIMPLE_REPLIES, fallback, simple_reply
from bot.assistant.mentions import Kind, mentioned
from bot.assistant.menus import MAIN_MENU_KEY
from bot.assistant.replies import Outcome
from bot.assistant.services import ASPECT_INTENTS, INTENT_FOR_ASPECT
from bot.assistant.subscriptions import WAITING_FOR_REGION
from bot.catalogue.bundle import Catalogues


def action_for_intent(intent: str) -> BarazaAction:
    """The action that answers an intent (the same mapping as data/rules.yml)."""
    table: dict[str, BarazaAction] = {
        "list_services": ActionListServices(),
        "ask_crisis": ActionAnswerCrisis(),
        "ask_alerts": ActionActiveAlerts(),
        "switch_language": ActionSwitchLanguage(),
        "inform": ActionInform(),
        "affirm": ActionConfirm(),
        "deny": ActionConfirm(),
        "subscribe_alerts": ActionSubscribeAlerts(),
        "list_subscriptions": ActionListSubscriptions(),
        "unsubscribe_alerts": ActionUnsubscribeAlerts(),
        "alert_details": ActionAlertDetails(),
        "check_concern_status": ActionConcernStatus(),
        "delete_my_data": ActionDeleteMyData(),
        "distress": ActionHandoffDistress(),
    }
    if intent in table:
        return table[intent]
    if intent in SIMPLE_REPLIES:
        return ActionSmallTalk()
    if intent in ASPECT_INTENTS:
        return ActionAnswerService()
    return ActionFallback()


class ActionInform(BarazaAction):
    """A lone name: a region gives its alerts (or answers "which region?"), a service its overview (or
    the aspect asked last: "and for the ID card?")."""

    def name(self) -> str:
        return "action_inform"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        region = mentioned(catalogues, Kind.REGION, turn.entities, turn.text, turn.language).value
        pending = turn.slots.get("pending")
        waiting_for_region = isinstance(pending, dict) and pending.get("kind") == WAITING_FOR_REGION
        if region and waiting_for_region:
            choice = turn.with_choice("subscribe_alerts", {"region": region})
            return ActionSubscribeAlerts().respond(choice, catalogues)
        if region:
            return ActionActiveAlerts().respond(
                turn.with_choice("ask_alerts", {"region": region}), catalogues
            )
        service = mentioned(catalogues, Kind.SERVICE, turn.entities, turn.text, turn.language).value
        answered = service_choice_answered(turn, catalogues) if service else None
        if answered is not None:  # "for my driving licence" answering "which service?" after "how much?"
            return answered
        if service:
            # "and for the ID card?" after the passport's fee: the same question about the other service
            aspect = str(turn.slots.get("aspect") or "overview")
            intent = INTENT_FOR_ASPECT.get(aspect, "service_overview")
            return ActionAnswerService().respond(turn.with_choice(intent, {"service": service}), catalogues)
        return choice_step_answered(turn, catalogues) or fallback(catalogues, turn.language)


class ActionChooseOption(BarazaAction):
    """A number typed after a list of options (text-only channels) picks that option; 0 is the main menu."""

    def name(self) -> str:
        return "action_choose_option"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        if turn.text.strip() == MAIN_MENU_KEY:
            return simple_reply(catalogues, turn.language, "help")
        parsed = chosen_payload(turn.text, list(turn.slots.get("options") or []), anywhere=True)
        if parsed is None:
            return fallback(catalogues, turn.language)
        intent, entities = parsed
        return action_for_intent(intent).respond(turn.with_choice(intent, entities), catalogues)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """A number that starts (or corrects) a report hands over to the form, like the rule does."""
        text = str((tracker.latest_message or {}).get("text") or "")
        parsed = chosen_payload(text, list(tracker.get_slot("options") or []), anywhere=True)
        if parsed is not None and parsed[0] == "report_concern":
            return [*start_concern_events(tracker, parsed[1]), FollowupAction("concern_form")]
        return await super().run(dispatcher, tracker, domain)
