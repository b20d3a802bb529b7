"""Actions a delivery worker triggers (an alert, news of a concern): their contract with the worker.

The worker counts a delivery as sent only when the conversation Rasa returns remembers its delivery id
(``bot/fanout/channels.py``). So a pushed action remembers the id whenever the delivery ends for good
(shown, or nothing left to show) and not when a store is unavailable, so that the worker tries again.
The same id twice (a worker stopped after Rasa answered) shows nothing the second time.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, ClassVar

import redis
from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.base import ACTION_LISTEN, BarazaAction
from actions.turn import Turn, read_push, read_turn
from bot.assistant.replies import Outcome
from bot.catalogue.bundle import Catalogues
from bot.services import shared

logger = logging.getLogger(__name__)

#: What a delivery that shows nothing returns.
NOTHING_TO_SHOW: list[EventType] = [FollowupAction(ACTION_LISTEN)]


class PushedAction(BarazaAction, ABC):
    """An action behind an ``EXTERNAL_*`` intent that a delivery worker triggers."""

    #: The intent the worker triggers.
    intent: ClassVar[str]

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:  # pragma: no cover - run() below
        raise NotImplementedError

    @abstractmethod
    def deliver(
        self, dispatcher: CollectingDispatcher, turn: Turn, catalogues: Catalogues
    ) -> list[EventType]:
        """Show the pushed message and return its events (:data:`NOTHING_TO_SHOW` when there is none)."""

    async def forged(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """A citizen typed the push's ``/EXTERNAL_...`` payload: nothing is shown."""
        return list(NOTHING_TO_SHOW)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Deliver once per delivery id, in the conversation's language."""
        catalogues = shared().catalogues()
        turn = read_turn(
            tracker, catalogues, shared().language_identifier, shared().settings.max_message_chars
        )
        push = read_push(tracker, turn, self.intent)
        if push is None:
            return await self.forged(dispatcher, tracker, domain)
        if push.repeated:
            return list(NOTHING_TO_SHOW)
        try:
            events = self.deliver(dispatcher, turn, catalogues)
        except (redis.RedisError, SQLAlchemyError):
            logger.exception("%s: a store is unavailable; the worker will try again", self.name())
            return list(NOTHING_TO_SHOW)  # not remembered
        return [SlotSet("delivered_alerts", push.remembered()), *events]
