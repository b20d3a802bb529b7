"""The shape every Baraza action shares: read the turn, call the domain, send the replies."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import replace
from typing import Any

import redis
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.handover import answer_typed, hand_over
from actions.turn import Turn, read_turn
from bot.assistant.choices import for_channel, numbered_text
from bot.assistant.conversation import fallback
from bot.assistant.menus import MAIN_MENU_PAYLOAD, is_main_menu
from bot.assistant.questions import QUESTION_ENTITY, remembered
from bot.assistant.replies import Outcome, Reply
from bot.catalogue.bundle import Catalogues
from bot.handoff.model import Trigger
from bot.handoff.relay import SAID_BY_PERSON
from bot.services import shared

logger = logging.getLogger(__name__)

ACTION_LISTEN = "action_listen"
#: The slot remembering that the last turn was not understood (twice in a row: a person takes over).
NOT_UNDERSTOOD = "not_understood"


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
                outcome = self._answer(turn, catalogues)
            except (redis.RedisError, SQLAlchemyError):
                logger.exception("a store was unavailable while answering %s", self.name())
                # Nothing was done: the question stays open, so "yes" again later still works.
                outcome = Outcome(
                    (Reply(locale.text("temporary_error")),), {"pending": turn.slots.get("pending")}
                )
        self._count(turn, raw_text, outcome)
        return self.send(dispatcher, turn, catalogues, (*prefix, *outcome.replies), outcome.remember)

    def _answer(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        """This action's answer, unless the citizen answers a handoff question (a message for a call
        back, a rating); twice not understood in a row, a person takes over."""
        outcome = answer_typed(turn, catalogues) or self.respond(turn, catalogues)
        failed = outcome.unanswered == "not_understood"
        if failed and turn.slots.get(NOT_UNDERSTOOD):
            handed = hand_over(turn, catalogues, Trigger.NOT_UNDERSTOOD)
            return replace(
                handed, remember={**handed.remember, NOT_UNDERSTOOD: False}, unanswered="not_understood"
            )
        if failed or turn.slots.get(NOT_UNDERSTOOD):  # set only when it changes: each event is stored
            return replace(outcome, remember={**outcome.remember, NOT_UNDERSTOOD: failed})
        return outcome

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
        *,
        way_home: bool = True,
    ) -> list[EventType]:
        """Send replies (numbered options on text-only channels) and return the slot events.

        ``extra`` travels with each message to the channel (e.g. the WhatsApp template of an alert).
        On a channel without buttons the last message ends with "0. Main menu" (``way_home``; not in a
        report being filled in, whose questions must be answered, nor under the main menu itself).
        """
        language = catalogues.languages.get(remember.get("language", turn.language))
        locale = catalogues.locales[language.code]
        settings = shared().settings
        text_only = turn.channel in settings.text_only_channels
        navigating = turn.channel in settings.navigating_channels
        replies = for_channel(replies, MAIN_MENU_PAYLOAD, text_only=text_only, navigating=navigating)
        offered: list[str] = []
        for number, reply in enumerate(replies, start=1):
            offered = [option.payload for option in reply.options] or offered
            awaits: dict[str, Any] = {"awaits_text": True} if reply.awaits_text else {}
            if reply.by_person:
                awaits["said_by"] = SAID_BY_PERSON
            if text_only:
                text = numbered_text(reply, locale.text("options_hint"))
                if (
                    way_home
                    and number == len(replies)
                    and not turn.active_loop
                    and not is_main_menu(catalogues, language.code, reply.options)
                ):
                    text = f"{text}\n{locale.text('main_menu_hint')}"
                dispatcher.utter_message(
                    text=text,
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
        pending = wanted.get("pending")
        if isinstance(pending, dict) and pending.get(QUESTION_ENTITY):
            # Kept a while, so that its buttons tapped later are still understood (actions/confirm.py).
            wanted["questions"] = remembered(turn.slots.get("questions"), pending)
        events: list[EventType] = [
            SlotSet(name, value) for name, value in wanted.items() if turn.slots.get(name) != value
        ]
        previous = turn.slots.get("language")
        if previous and previous != language.code:
            _follow_language(turn, language.code)
        # Every Baraza action ends the citizen's turn (data/rules.yml: one intent, one action), so
        # saying so spares Rasa a second run of its policies for each message (README, Performance).
        events.append(FollowupAction(ACTION_LISTEN))
        return events


def _follow_language(turn: Turn, language: str) -> None:
    """A subscriber who now talks in another language gets their alerts in it: a direct delivery
    (``bot/channels/direct.py``) words them in the subscription's language, without reading the
    conversation."""
    try:
        shared().subscriptions.set_language(turn.subscriber, language)
    except redis.RedisError:
        logger.warning("the subscription's language could not follow the conversation's")
