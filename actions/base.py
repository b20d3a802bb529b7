"""The shape every Baraza action shares: read the turn, call the domain, send the replies."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

import redis
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.turn import Turn, read_turn
from bot.assistant.choices import numbered_text
from bot.assistant.conversation import fallback
from bot.assistant.replies import Outcome, Reply
from bot.catalogue.bundle import Catalogues
from bot.services import shared

logger = logging.getLogger(__name__)

ACTION_LISTEN = "action_listen"


class BarazaAction(Action, ABC):
    """An action answering in the conversation's language (abstract: not registered itself)."""

    @abstractmethod
    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        """The replies for this turn."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Answer the latest message (called by the action server)."""
        catalogues = shared().catalogues()
        settings = shared().settings
        turn = read_turn(tracker, catalogues, shared().language_identifier, settings.max_message_chars)
        locale = catalogues.locales[turn.language]
        raw_text = str((tracker.latest_message or {}).get("text") or "")
        prefix: list[Reply] = []
        if not raw_text.strip():
            outcome = Outcome((Reply(locale.text("empty_message")),))
        elif not any(ch.isalnum() for ch in raw_text):
            outcome = fallback(catalogues, turn.language)  # emoji or punctuation only
        else:
            if turn.truncated:
                prefix.append(Reply(locale.text("message_too_long")))
            try:
                outcome = self.respond(turn, catalogues)
            except (redis.RedisError, SQLAlchemyError):
                logger.exception("a store was unavailable while answering %s", self.name())
                # Nothing was done: the question stays open, so "yes" again later still works.
                outcome = Outcome(
                    (Reply(locale.text("temporary_error")),), {"pending": turn.slots.get("pending")}
                )
        self._count(turn, raw_text, outcome)
        return self.send(dispatcher, turn, catalogues, (*prefix, *outcome.replies), outcome.remember)

    @staticmethod
    def _count(turn: Turn, raw_text: str, outcome: Outcome) -> None:
        """Count the turn for the people who improve the assistant (and keep it, redacted, when it
        went unanswered); never at the cost of the citizen's answer."""
        services = shared()
        try:
            services.unanswered.record(
                language=turn.language,
                channel=turn.channel or "rest",
                reason=outcome.unanswered,
                text=turn.text or raw_text,
                at=services.now(),
            )
        except redis.RedisError:
            logger.warning("could not count a turn: Redis unavailable")

    @staticmethod
    def send(
        dispatcher: CollectingDispatcher,
        turn: Turn,
        catalogues: Catalogues,
        replies: tuple[Reply, ...],
        remember: dict[str, Any],
        extra: dict[str, Any] | None = None,
    ) -> list[EventType]:
        """Send replies (numbered options on text-only channels) and return the slot events.

        ``extra`` travels with each message to the channel (e.g. the WhatsApp template of an alert).
        """
        language = catalogues.languages.get(remember.get("language", turn.language))
        text_only = turn.channel in shared().settings.text_only_channels
        offered: list[str] = []
        for reply in replies:
            offered = [option.payload for option in reply.options] or offered
            awaits = {"awaits_text": True} if reply.awaits_text else {}
            if text_only:
                hint = catalogues.locales[language.code].text("options_hint")
                dispatcher.utter_message(
                    text=numbered_text(reply, hint),
                    language=language.code,
                    direction=language.direction,
                    **awaits,
                    **(extra or {}),
                )
            else:
                buttons = [{"title": o.title, "payload": o.payload} for o in reply.options]
                dispatcher.utter_message(
                    text=reply.text,
                    buttons=buttons,
                    language=language.code,
                    direction=language.direction,
                    **awaits,
                    **(extra or {}),
                )
        # Only changed slots: every event is stored with the conversation and re-read on each turn.
        # A question waits one turn only: whatever the citizen says next answers it or drops it.
        wanted: dict[str, Any] = {"pending": None, **remember, "language": language.code}
        if offered and text_only:
            wanted["options"] = offered  # so that a typed "2" picks the second option
        events: list[EventType] = [
            SlotSet(name, value) for name, value in wanted.items() if turn.slots.get(name) != value
        ]
        # Every Baraza action ends the citizen's turn (data/rules.yml: one intent, one action), so
        # saying so spares Rasa a second run of its policies for each message (README, Performance).
        events.append(FollowupAction(ACTION_LISTEN))
        return events
