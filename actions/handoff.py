"""The desk's words to a handed-over citizen: ``action_handoff_relay``, run by the inbox through Rasa's
``POST /conversations/<id>/execute`` (bot/handoff/relay.py), even while the conversation is paused.

It takes the conversation's outbox and says each notice in the conversation's language on the
channel that reaches the citizen (a USSD citizen's by SMS). A person taking the conversation pauses
it (the assistant stays silent: Rasa predicts nothing for a paused conversation); the end resumes it,
says the assistant is back and asks for a rating. Whether it pauses or resumes is what the store says
when the notice is said (the citizen may have left since); ``rasa_addons.handoff`` pauses a
conversation a person holds even before this notice comes.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, ConversationResumed, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ACTION_LISTEN, BarazaAction
from actions.turn import Turn
from bot.assistant.handoff import notice_replies
from bot.assistant.replies import Reply
from bot.handoff.relay import NoticeKind
from bot.services import shared
from bot.subscriptions.store import PUSH_CHANNEL

#: Notices after which the conversation's pause is set again from the store.
PAUSE_OR_RESUME = frozenset({NoticeKind.CLAIMED, NoticeKind.ENDED})


class ActionHandoffRelay(Action):
    """Says what the desk filed for this conversation (place, claimed, the person's words, ended)."""

    def name(self) -> str:
        return "action_handoff_relay"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Take the outbox and say it; pause on a claim, resume on the end."""
        services = shared()
        catalogues = services.catalogues()
        notices = services.handoff_outbox.take(str(tracker.sender_id))
        if not notices:
            return []
        language = str(tracker.get_slot("language") or "")
        if not catalogues.languages.is_supported(language):
            language = catalogues.languages.default
        written_on = str(tracker.get_latest_input_channel() or "")
        channel = PUSH_CHANNEL.get(written_on, written_on)  # the channel the words go out on
        turn = Turn(
            text="",
            intent="",
            entities={},
            language=language,
            channel=channel,
            slots=dict(tracker.slots),
            sender_id=str(tracker.sender_id),
        )
        replies: list[Reply] = []
        remember: dict[str, Any] = {}
        control: list[EventType] = []
        for notice in notices:
            said, remembered = notice_replies(catalogues, language, channel, notice)
            replies.extend(said)
            remember.update(remembered)
        if any(notice.kind in PAUSE_OR_RESUME for notice in notices):
            # What the store says now, not what the notice said then: a citizen who stopped between
            # the claim and this notice is not left paused with nobody holding the conversation.
            held = services.handoffs.held(str(tracker.sender_id))
            control = [ConversationPaused() if held else ConversationResumed()]
        if "pending" not in remember:
            remember["pending"] = turn.slots.get("pending")  # a notice answers no question
        events = BarazaAction.send(dispatcher, turn, catalogues, tuple(replies), remember, way_home=False)
        # Not a turn of the citizen's: a follow-up "listen" would silence their next message, and without
        # a "listen" recorded the rules would not know the citizen's next message (a rule starts there).
        kept = [e for e in events if e.get("event") != "followup"]
        return [*kept, *control, ActionExecuted(ACTION_LISTEN)]
