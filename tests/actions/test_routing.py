"""Turns routed by what they contain: a lone name, a typed number."""

from __future__ import annotations

from actions.routing import ActionInform
from bot.catalogue.bundle import Catalogues
from tests.actions.conftest import FakeAlerts, make_tracker, run_action


def test_lone_region_name_gives_its_alerts(catalogues: Catalogues, fake_alerts: FakeAlerts) -> None:
    messages, _ = run_action(ActionInform(), make_tracker("Jangwani", "inform", slots={"language": "en"}))
    assert catalogues.regions.name("north", "en") in messages[0]["text"]


def test_a_numbered_menu_choice_starts_the_report_form() -> None:
    from actions.routing import ActionChooseOption

    options = ["/list_services", "/report_concern"]
    slots = {"options": options, "concern_description": "old"}
    _, events = run_action(
        ActionChooseOption(), make_tracker("2", "choose_option", slots=slots, channel="twilio")
    )
    assert {"event": "slot", "name": "concern_description", "value": None, "timestamp": None} in events
    assert events[-1]["event"] == "followup" and events[-1]["name"] == "concern_form"
