"""Leaving the concern form from inside it (STOP, "delete my data"): the form is closed before the listen."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet


def leaving_form(tracker: Tracker, events: list[EventType]) -> list[EventType]:
    """End the concern form, if one is active, before the final listen.

    The loop is always closed (a no-op without one) so the events match data/rules.yml in both cases.
    """
    leaving: list[EventType] = [ActiveLoop(None)]
    if (tracker.active_loop or {}).get("name"):
        leaving.append(SlotSet("requested_slot", None))
    return [*events[:-1], *leaving, events[-1]]
