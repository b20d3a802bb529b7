"""What every action shares: the turn read, the replies sent (numbered where buttons cannot show),
only changed slots returned, and a store that is down answered with an apology."""

from __future__ import annotations

import pytest
import redis
from rasa_sdk.events import FollowupAction, SlotSet
from sqlalchemy.exc import OperationalError

from actions.base import ACTION_LISTEN, BarazaAction
from actions.conversation import ActionFallback, ActionSmallTalk
from actions.turn import Turn
from bot.assistant.replies import Option, Outcome, Reply
from bot.catalogue.bundle import Catalogues
from tests.actions.conftest import make_tracker, run_action


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_message_gets_asked_to_type(catalogues: Catalogues, text: str) -> None:
    messages, _ = run_action(ActionFallback(), make_tracker(text, "nlu_fallback", slots={"language": "es"}))
    assert messages[0]["text"] == catalogues.locales["es"].text("empty_message")


def test_emoji_only_gets_the_fallback(catalogues: Catalogues) -> None:
    messages, _ = run_action(ActionSmallTalk(), make_tracker("😀🙏", "greet", slots={"language": "fr"}))
    assert messages[0]["text"] == catalogues.locales["fr"].text("fallback")


def test_very_long_message_is_cut_and_the_citizen_told(catalogues: Catalogues) -> None:
    text = "I need to know the fee for a new passport. " * 300
    messages, _ = run_action(ActionSmallTalk(), make_tracker(text, "greet", slots={"language": "en"}))
    assert messages[0]["text"] == catalogues.locales["en"].text("message_too_long")


class Offering(BarazaAction):
    """Answers with two choices and remembers a region; or fails as a store that is down."""

    def __init__(self, failure: Exception | None = None) -> None:
        self.failure = failure
        self.turns: list[Turn] = []

    def name(self) -> str:
        return "action_offering"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        self.turns.append(turn)
        if self.failure:
            raise self.failure
        options = (
            Option("Coast", '/ask_alerts{"region":"coast"}'),
            Option("Lakes", '/ask_alerts{"region":"lakes"}'),
        )
        return Outcome((Reply("Which region?", options),), {"region": "coast"})


def test_buttons_where_the_channel_shows_them() -> None:
    messages, events = run_action(Offering(), make_tracker("alerts", "ask_alerts", channel="socketio"))
    [message] = messages
    assert (message["text"], message["language"], message["direction"]) == ("Which region?", "en", "ltr")
    assert message["buttons"] == [
        {"title": "Coast", "payload": '/ask_alerts{"region":"coast"}'},
        {"title": "Lakes", "payload": '/ask_alerts{"region":"lakes"}'},
    ]
    assert "options" not in {e.get("name") for e in events}  # a tap sends the payload itself


def test_numbered_text_on_a_channel_without_buttons_and_the_options_remembered(
    catalogues: Catalogues,
) -> None:
    messages, events = run_action(
        Offering(), make_tracker("alerts", "ask_alerts", channel="sms", slots={"language": "fr"})
    )
    hint = catalogues.locales["fr"].text("options_hint")
    home = catalogues.locales["fr"].text("main_menu_hint")  # the way home, under every last message
    assert messages[0]["text"] == f"Which region?\n{hint}\n1. Coast\n2. Lakes\n{home}"
    assert messages[0]["buttons"] == []
    assert SlotSet("options", ['/ask_alerts{"region":"coast"}', '/ask_alerts{"region":"lakes"}']) in events
    # a question of a report being filled in must be answered: no way out offered there
    in_form = make_tracker(
        "alerts", "ask_alerts", channel="sms", slots={"language": "fr"}, active_loop="concern_form"
    )
    messages, _ = run_action(Offering(), in_form)
    assert home not in messages[0]["text"]


def test_only_changed_slots_are_set_and_the_turn_ends_with_a_listen() -> None:
    tracker = make_tracker(
        "alerts", "ask_alerts", channel="socketio", slots={"language": "en", "region": "coast"}
    )
    _, events = run_action(Offering(), tracker)
    assert events == [FollowupAction(ACTION_LISTEN)]  # language and region unchanged, no question pending
    _, events = run_action(Offering(), make_tracker("alerts", "ask_alerts", slots={"pending": {"kind": "x"}}))
    assert SlotSet("pending", None) in events and SlotSet("region", "coast") in events
    assert events[-1] == FollowupAction(ACTION_LISTEN)


@pytest.mark.parametrize(
    "failure", [redis.ConnectionError("down"), OperationalError("INSERT", {}, Exception("gone"))]
)
def test_a_store_that_is_down_keeps_the_question_open(catalogues: Catalogues, failure: Exception) -> None:
    pending = {"kind": "subscribe_consent", "region": "coast"}
    tracker = make_tracker("yes", "affirm", slots={"pending": pending, "language": "sw"})
    messages, events = run_action(Offering(failure), tracker)
    assert messages[0]["text"] == catalogues.locales["sw"].text("temporary_error")
    assert SlotSet("pending", None) not in events  # "yes" again later still answers the question


def test_the_turn_is_read_in_the_conversations_language(catalogues: Catalogues) -> None:
    action = Offering()
    messages, _ = run_action(action, make_tracker("التنبيهات", "ask_alerts", slots={"language": "ar"}))
    assert action.turns[0].language == "ar"
    assert (messages[0]["language"], messages[0]["direction"]) == ("ar", "rtl")
