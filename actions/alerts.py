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
from bot.alerts.record import AlertNotFound
from bot.assistant.alert_messages import alert_details, alert_notice
from bot.assistant.replies import Outcome, Reply
from bot.catalogue.bundle import Catalogues
from bot.fanout.notices import TRIGGERS, NoticeKind
from bot.fanout.pushed import Claim
from bot.services import shared

logger = logging.getLogger(__name__)

#: The notices "tell me more" can be about.
ALERT_KINDS = frozenset({NoticeKind.ALERT, NoticeKind.CANCEL})


class ActionAlertDetails(BarazaAction):
    """ "Tell me more" about the last alert pushed into this conversation."""

    def name(self) -> str:
        return "action_alert_details"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        locale = catalogues.locales[turn.language]
        # The last alert pushed, whichever way (straight through the channel or through Rasa), else
        # the slot of a conversation from before the record.
        pushed = shared().pushed_notices.latest(turn.sender_id, ALERT_KINDS)
        alert_id = pushed.reference if pushed else turn.slots.get("last_alert")
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
        message = alert_notice(catalogues, turn.language, record, cancelled)
        if message is None:
            return list(NOTHING_TO_SHOW)  # withdrawn meanwhile (or never sent)
        kind = NoticeKind.CANCEL if cancelled else NoticeKind.ALERT
        delivery_id = turn.entities.get("delivery_id", "")
        if delivery_id:  # what came last, whichever way it came (bot/fanout/pushed.py)
            shared().pushed_notices.remember(Claim(turn.sender_id, delivery_id, kind, alert_id))
        remember = {"last_alert": alert_id}
        return self.send(
            dispatcher, turn, catalogues, (Reply(message.text),), remember, message.extra, way_home=False
        )
