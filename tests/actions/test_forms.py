"""Leaving the concern form from inside it: the loop is closed before the final listen."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet

from actions.forms import leaving_form
from tests.actions.conftest import make_tracker


def test_an_active_form_is_closed_and_its_requested_slot_cleared_before_the_listen() -> None:
    tracker = make_tracker("stop", "unsubscribe_alerts")
    tracker.active_loop = {"name": "concern_form"}
    events = [SlotSet("language", "en"), FollowupAction("action_listen")]
    assert leaving_form(tracker, events) == [
        SlotSet("language", "en"),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        FollowupAction("action_listen"),
    ]


def test_without_a_form_the_loop_is_still_closed_so_the_rules_match() -> None:
    tracker = make_tracker("stop", "unsubscribe_alerts")
    events = [FollowupAction("action_listen")]
    assert leaving_form(tracker, events) == [ActiveLoop(None), FollowupAction("action_listen")]
