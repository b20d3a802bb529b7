"""Alert subscriptions in the chat, and alerts pushed into the conversation by the delivery workers."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import resources
from actions.base import BarazaAction
from actions.conversation import ActionFallback as ActionFallbackForForgery
from actions.conversation import ActionSmallTalk
from actions.push import NOTHING_TO_SHOW, PushedAction
from actions.turn import Turn
from bot.alerts.lifecycle import LIVE, Status
from bot.alerts.model import utc_now
from bot.alerts.repository import AlertNotFound
from bot.assistant.alert_messages import alert_details, cancelled_alert, pushed_alert, template_values
from bot.assistant.concerns import CONCERN_SLOTS, WAITING_FOR_SUMMARY, filed
from bot.assistant.replies import Option, Outcome, Reply, intent_payload
from bot.assistant.subscriptions import (
    WAITING_FOR_CONSENT,
    answer_consent,
    ask_to_subscribe,
    find_topic,
    list_subscriptions,
    unsubscribe,
)
from bot.catalogue.bundle import Catalogues
from bot.concerns.model import NewConcern
from bot.fanout.channels import DELIVERY_INTENT
from bot.subscriptions.forget import schedule_forgetting

logger = logging.getLogger(__name__)


def _region(turn: Turn, catalogues: Catalogues) -> str | None:
    named = turn.entities.get("region")
    if named in catalogues.regions.regions:
        return named
    return catalogues.regions.find_in_text(turn.text, turn.language) if turn.text else None


def _topics(turn: Turn, catalogues: Catalogues) -> tuple[str, ...]:
    topic = find_topic(catalogues, turn.entities.get("alert_topic", ""))
    return (topic,) if topic else ()


class ActionSubscribeAlerts(BarazaAction):
    """Ask for the region (if not named) and for consent."""

    def name(self) -> str:
        return "action_subscribe_alerts"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        topics = _topics(turn, catalogues)
        pending = turn.slots.get("pending") or {}
        if not topics and isinstance(pending, dict):
            topics = tuple(pending.get("topics") or ())  # a region named after "which region?"
        return ask_to_subscribe(catalogues, turn.language, _region(turn, catalogues), topics)


class ActionConfirm(BarazaAction):
    """Yes or no: answers the pending question (consent to subscribe), or is small talk."""

    def name(self) -> str:
        return "action_confirm"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        pending = turn.slots.get("pending")
        if isinstance(pending, dict) and pending.get("kind") == "delete_data":
            return delete_or_keep(turn, catalogues, agreed=turn.intent == "affirm")
        if isinstance(pending, dict) and pending.get("kind") == WAITING_FOR_SUMMARY:
            return file_or_cancel(turn, catalogues, agreed=turn.intent == "affirm")
        if isinstance(pending, dict) and pending.get("kind") == WAITING_FOR_CONSENT:
            agreed = turn.intent == "affirm"
            store = resources.subscriptions()
            return answer_consent(
                catalogues, turn.language, pending, agreed, store, turn.subscriber, utc_now()
            )
        return ActionSmallTalk().respond(turn, catalogues)


class ActionListSubscriptions(BarazaAction):
    """What the citizen is subscribed to."""

    def name(self) -> str:
        return "action_list_subscriptions"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        return list_subscriptions(catalogues, turn.language, resources.subscriptions(), turn.subscriber)


class ActionUnsubscribeAlerts(BarazaAction):
    """Stop one region's alerts, or (STOP and the like) every alert at once."""

    def name(self) -> str:
        return "action_unsubscribe_alerts"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        region = _region(turn, catalogues)
        return unsubscribe(catalogues, turn.language, resources.subscriptions(), turn.subscriber, region)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """STOP works in the middle of a report too: the report is left."""
        return _leaving_form(tracker, await super().run(dispatcher, tracker, domain))


class ActionAlertDetails(BarazaAction):
    """ "Tell me more" about the last alert pushed into this conversation."""

    def name(self) -> str:
        return "action_alert_details"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        locale = catalogues.locales[turn.language]
        alert_id = turn.slots.get("last_alert")
        if not alert_id:
            return Outcome((Reply(locale.text("alert_details_none")),))
        try:
            alert = resources.alert_records().get(str(alert_id)).alert
        except AlertNotFound:
            return Outcome((Reply(locale.text("alert_details_none")),))
        return Outcome((Reply(alert_details(catalogues, turn.language, alert)),))


class ActionDeliverAlert(PushedAction):
    """Shows an alert (or its cancellation) pushed by a delivery worker through ``trigger_intent``."""

    intent = DELIVERY_INTENT

    def name(self) -> str:
        return "action_deliver_alert"

    async def forged(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Typed as a "/EXTERNAL_alert{...}" payload: answered like any message not understood."""
        return await ActionFallbackForForgery().run(dispatcher, tracker, domain)

    def deliver(
        self, dispatcher: CollectingDispatcher, turn: Turn, catalogues: Catalogues
    ) -> list[EventType]:
        """The alert in the conversation's language, if it is (still) to be shown."""
        alert_id = turn.entities.get("alert_id", "")
        kind = turn.entities.get("delivery_kind", "alert")
        if not alert_id:
            return list(NOTHING_TO_SHOW)
        try:
            record = resources.alert_records().get(alert_id)
        except AlertNotFound:
            logger.warning("alert %s is gone; nothing to show", alert_id)
            return list(NOTHING_TO_SHOW)
        shown_when = {Status.CANCELLED} if kind == "cancel" else LIVE
        if record.status not in shown_when:
            return list(NOTHING_TO_SHOW)  # withdrawn meanwhile (or never sent)
        alert = record.alert
        if kind == "cancel":
            text = cancelled_alert(catalogues, turn.language, alert)
        else:
            text = pushed_alert(catalogues, turn.language, alert)
        extra = {
            "whatsapp_template": "alert_cancelled" if kind == "cancel" else "alert",
            "template_values": template_values(catalogues, turn.language, alert),
        }
        return self.send(dispatcher, turn, catalogues, (Reply(text),), {"last_alert": alert_id}, extra)


def file_or_cancel(turn: Turn, catalogues: Catalogues, *, agreed: bool) -> Outcome:
    """The answer to the summary of a report: file it (and give the ticket) or drop it."""
    locale = catalogues.locales[turn.language]
    cleared: dict[str, Any] = dict.fromkeys(CONCERN_SLOTS)
    if not agreed:
        return Outcome((Reply(locale.text("concern_cancelled")),), cleared)
    slots = turn.slots
    concern = resources.concern_service().file(
        NewConcern(
            category=str(slots.get("concern_category") or "other"),
            description=str(slots.get("concern_description") or ""),
            region=str(slots.get("concern_region") or ""),
            place=str(slots.get("concern_place") or ""),
            language=turn.language,
            channel=turn.channel or "rest",
            subscriber=turn.subscriber,
            contact_consent=slots.get("concern_contact") == "yes",
        )
    )
    return Outcome((Reply(filed(catalogues, turn.language, concern)),), cleared)


class ActionDeleteMyData(BarazaAction):
    """ "Delete my data": asks first; a yes removes subscriptions, contacts on reports, the conversation."""

    def name(self) -> str:
        return "action_delete_my_data"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        locale = catalogues.locales[turn.language]
        options = (
            Option(locale.text("delete_data_yes"), intent_payload("affirm")),
            Option(locale.text("answer_no"), intent_payload("deny")),
        )
        cleared: dict[str, Any] = dict.fromkeys(CONCERN_SLOTS)
        return Outcome(
            (Reply(locale.text("delete_data_confirm"), options),),
            {**cleared, "pending": {"kind": "delete_data"}},
        )

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """As any action, leaving a report in progress first."""
        return _leaving_form(tracker, await super().run(dispatcher, tracker, domain))


def delete_or_keep(turn: Turn, catalogues: Catalogues, *, agreed: bool) -> Outcome:
    """The answer to "delete everything?"."""
    locale = catalogues.locales[turn.language]
    if not agreed:
        return Outcome((Reply(locale.text("delete_data_kept")),))
    subscriber = turn.subscriber
    resources.concern_service().forget(subscriber)
    schedule_forgetting(resources.redis_client(), subscriber, turn.sender_id)
    return Outcome((Reply(locale.text("delete_data_done")),))


def _leaving_form(tracker: Tracker, events: list[EventType]) -> list[EventType]:
    """End the concern form, if one is active, before the final listen.

    The loop is always closed (a no-op without one) so the events match data/rules.yml in both cases.
    """
    leaving: list[EventType] = [ActiveLoop(None)]
    if (tracker.active_loop or {}).get("name"):
        leaving.append(SlotSet("requested_slot", None))
    return [*events[:-1], *leaving, events[-1]]
