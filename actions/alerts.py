"""Alerts pushed into the conversation by the delivery workers, and "tell me more" about the last one."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BarazaAction
from actions.conversation import ActionFallback
from actions.pushed import NOTHING_TO_SHOW, PushedAction
from actions.turn import Turn
from bot.alerts.lifecycle import LIVE, Status
from bot.alerts.record import AlertNotFound
from bot.assistant.alert_messages import alert_details, cancelled_alert, pushed_alert, template_values
from bot.assistant.replies import Outcome, Reply
from bot.catalogue.bundle import Catalogues
from bot.fanout.notices import TRIGGERS, NoticeKind
from bot.services import shared

logger = logging.getLogger(__name__)


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
            alert = shared().repository.get(str(alert_id)).alert
        except AlertNotFound:
            return Outcome((Reply(locale.text("alert_details_none")),))
        return Outcome((Reply(alert_details(catalogues, turn.language, alert)),))


class ActionDeliverAlert(PushedAction):
    """Shows an alert (or its cancellation) pushed by a delivery worker through ``trigger_intent``."""

    intent = TRIGGERS[NoticeKind.ALERT].intent

    def name(self) -> str:
        return "action_deliver_alert"

    async def forged(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Typed as a "/EXTERNAL_alert{...}" payload: answered like any message not understood."""
        return await ActionFallback().run(dispatcher, tracker, domain)

    def deliver(
        self, dispatcher: CollectingDispatcher, turn: Turn, catalogues: Catalogues
    ) -> list[EventType]:
        """The alert in the conversation's language, if it is (still) to be shown."""
        alert_id = turn.entities.get(TRIGGERS[NoticeKind.ALERT].reference_entity, "")
        cancelled = turn.entities.get("delivery_kind") == NoticeKind.CANCEL.value
        if not alert_id:
            return list(NOTHING_TO_SHOW)
        try:
            record = shared().repository.get(alert_id)
        except AlertNotFound:
            logger.warning("alert %s is gone; nothing to show", alert_id)
            return list(NOTHING_TO_SHOW)
        shown_when = {Status.CANCELLED} if cancelled else LIVE
        if record.status not in shown_when:
            return list(NOTHING_TO_SHOW)  # withdrawn meanwhile (or never sent)
        alert = record.alert
        text = (cancelled_alert if cancelled else pushed_alert)(catalogues, turn.language, alert)
        extra = {
            "whatsapp_template": "alert_cancelled" if cancelled else "alert",
            "template_values": template_values(catalogues, turn.language, alert),
        }
        remember = {"last_alert": alert_id}
        return self.send(dispatcher, turn, catalogues, (Reply(text),), remember, extra, way_home=False)
