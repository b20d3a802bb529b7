"""Yes or no: the answer goes to the feature whose question is pending; without one it is small talk."""

from __future__ import annotations

from typing import Any

import pytest

from actions import confirm
from actions.concerns import ActionConcernSummary
from actions.confirm import ANSWERS, ASK_AGAIN, ActionConfirm
from actions.conversation import ActionSmallTalk
from actions.privacy import WAITING_FOR_DELETION, ActionDeleteMyData
from actions.subscriptions import ActionSubscribeAlerts
from actions.turn import Turn
from bot.assistant.concerns import WAITING_FOR_SUMMARY, yes_no_options
from bot.assistant.handoff import WAITING_FOR_CALLBACK
from bot.assistant.replies import Outcome, Reply, parse_payload
from bot.assistant.subscriptions import WAITING_FOR_CONSENT
from bot.catalogue.bundle import Catalogues
from bot.concerns.model import ConcernFilter
from bot.concerns.service import ConcernService
from bot.services import Services
from tests.actions.conftest import make_tracker, run_action, slot_events


def test_every_yes_no_question_of_the_features_has_its_answer() -> None:
    assert set(ANSWERS) == {
        WAITING_FOR_DELETION,
        WAITING_FOR_SUMMARY,
        WAITING_FOR_CONSENT,
        WAITING_FOR_CALLBACK,
    }
    assert set(ASK_AGAIN) == set(ANSWERS)  # and can be asked again when its button is tapped late


@pytest.mark.parametrize("kind", sorted(ANSWERS))
@pytest.mark.parametrize("intent,agreed", [("affirm", True), ("deny", False)])
def test_the_pending_kind_routes_the_answer(
    monkeypatch: pytest.MonkeyPatch, kind: str, intent: str, agreed: bool
) -> None:
    calls: list[tuple[str, str, bool]] = []

    def recorder(name: str) -> Any:
        def answer(turn: Turn, catalogues: Catalogues, *, agreed: bool) -> Outcome:
            calls.append((name, turn.intent, agreed))
            return Outcome((Reply(f"answered by {name}"),))

        return answer

    for name in ANSWERS:
        monkeypatch.setitem(confirm.ANSWERS, name, recorder(name))
    pending = {"kind": kind, "region": "coast"}
    messages, _ = run_action(ActionConfirm(), make_tracker("ok", intent, slots={"pending": pending}))
    assert calls == [(kind, intent, agreed)]
    assert messages[0]["text"] == f"answered by {kind}"


@pytest.mark.parametrize("pending", [None, {"kind": "nothing_we_asked"}, "subscribe_consent", {}])
def test_without_a_known_question_yes_and_no_are_small_talk(catalogues: Catalogues, pending: object) -> None:
    english = catalogues.locales["en"]
    yes, _ = run_action(
        ActionConfirm(), make_tracker("ok", "affirm", slots={"pending": pending, "language": "en"})
    )
    no, _ = run_action(
        ActionConfirm(), make_tracker("no thanks", "deny", slots={"pending": pending, "language": "en"})
    )
    assert yes[0]["text"] == english.text("acknowledge")
    assert no[0]["text"] == english.text("deny_reply")


def _tap(button: dict[str, Any], slots: dict[str, Any], channel: str = "socketio") -> Any:
    """The tracker of a tapped button: its payload as text, its intent and entities."""
    parsed = parse_payload(button["payload"])
    assert parsed is not None
    return make_tracker(button["payload"], parsed[0], parsed[1], slots=slots, channel=channel)


def _consent_asked(language: str = "en") -> tuple[list[dict[str, Any]], dict[str, Any]]:
    tracker = make_tracker(
        "flood alerts for Bandari",
        "subscribe_alerts",
        {"region": "coast", "alert_topic": "weather"},
        slots={"language": language},
        channel="socketio",
    )
    messages, events = run_action(ActionSubscribeAlerts(), tracker)
    return messages[0]["buttons"], {"language": language, **slot_events(events)}


def _something_else(slots: dict[str, Any]) -> dict[str, Any]:
    """Another subject meanwhile: the question is no longer pending."""
    tracker = make_tracker("hello", "greet", slots=slots, channel="socketio")
    _, events = run_action(ActionSmallTalk(), tracker)
    return {**slots, **slot_events(events)}


@pytest.mark.usefixtures("live_services")
def test_a_consent_button_tapped_later_still_subscribes_when_nothing_changed(
    catalogues: Catalogues, services: Services
) -> None:
    buttons, slots = _consent_asked()
    slots = _something_else(slots)
    assert slots["pending"] is None
    messages, _ = run_action(ActionConfirm(), _tap(buttons[0], slots))
    english = catalogues.locales["en"]
    assert messages[0]["text"] != english.text("acknowledge")
    assert english.alert_topic_names["weather"] in messages[0]["text"]
    stored = services.subscriptions.get("socketio:test")
    assert stored is not None and stored.subscriptions[0].topics == ("weather",)


@pytest.mark.usefixtures("live_services")
def test_a_consent_button_whose_question_would_now_say_something_else_asks_again(
    catalogues: Catalogues, services: Services
) -> None:
    buttons, slots = _consent_asked("en")
    slots = {**_something_else(slots), "language": "fr"}  # the question said "in English"
    messages, events = run_action(ActionConfirm(), _tap(buttons[0], slots))
    french = catalogues.locales["fr"]
    assert messages[0]["text"] == french.text("question_closed")
    titles = [b["title"] for b in messages[1]["buttons"]]
    assert "?" in messages[1]["text"] and titles[0] == french.text("consent_yes")
    assert services.subscriptions.get("socketio:test") is None
    assert slot_events(events)["pending"]["kind"] == WAITING_FOR_CONSENT  # the new question waits


@pytest.mark.usefixtures("live_services")
def test_a_button_of_a_question_never_asked_here_does_nothing_and_says_so(
    catalogues: Catalogues, services: Services
) -> None:
    button = {"payload": '/affirm{"question":"subscribe_consent:0000000000"}'}
    messages, _ = run_action(ActionConfirm(), _tap(button, {"language": "en"}))
    assert messages[0]["text"] == catalogues.locales["en"].text("question_closed_nothing_done")
    assert messages[0]["buttons"]  # the main menu
    assert services.subscriptions.get("socketio:test") is None


def _report() -> dict[str, Any]:
    return {
        "language": "en",
        "concern_category": "water_sanitation",
        "concern_description": "The pump at the market has been broken since Monday.",
        "concern_region": "lakes",
        "concern_place": "Ziwani",
        "concern_contact": "no",
    }


def test_a_send_button_tapped_later_files_the_report_it_showed_once(
    concern_service: ConcernService, catalogues: Catalogues
) -> None:
    messages, events = run_action(ActionConcernSummary(), make_tracker("no", "deny", slots=_report()))
    send = messages[0]["buttons"][0]
    slots = _something_else({**_report(), **slot_events(events)})
    messages, events = run_action(ActionConfirm(), _tap(send, slots))
    [concern], _ = concern_service.store.find(ConcernFilter())
    assert concern.ticket in messages[0]["text"]
    # Tapped again: the report was sent, the question is closed, nothing is filed twice.
    messages, _ = run_action(ActionConfirm(), _tap(send, {**slots, **slot_events(events)}))
    assert messages[0]["text"] == catalogues.locales["en"].text("question_closed_nothing_done")
    assert concern_service.store.find(ConcernFilter())[1] == 1


def test_an_old_contact_button_does_not_send_the_report_waiting_for_its_summary(
    concern_service: ConcernService, catalogues: Catalogues
) -> None:
    contact_yes = {"payload": yes_no_options(catalogues, "en")[0].payload}
    _, events = run_action(ActionConcernSummary(), make_tracker("no", "deny", slots=_report()))
    slots = {**_report(), **slot_events(events)}
    messages, _ = run_action(ActionConfirm(), _tap(contact_yes, slots))
    assert concern_service.store.find(ConcernFilter())[1] == 0
    assert messages[0]["text"] == catalogues.locales["en"].text("question_closed_nothing_done")


def test_a_delete_button_tapped_later_asks_again_and_deletes_nothing(
    catalogues: Catalogues, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages, events = run_action(ActionDeleteMyData(), make_tracker("delete my data", "delete_my_data"))
    yes = messages[0]["buttons"][0]
    slots = _something_else({"language": "en", **slot_events(events)})
    monkeypatch.setitem(confirm.ANSWERS, WAITING_FOR_DELETION, _never)
    messages, events = run_action(ActionConfirm(), _tap(yes, slots))
    english = catalogues.locales["en"]
    assert [m["text"] for m in messages] == [
        english.text("question_closed"),
        english.text("delete_data_confirm"),
    ]
    assert slot_events(events)["pending"]["kind"] == WAITING_FOR_DELETION
    # Tapped right away, the same button deletes (the question is pending again).
    deleted: list[bool] = []

    def delete(turn: Turn, catalogues: Catalogues, *, agreed: bool) -> Outcome:
        deleted.append(agreed)
        return Outcome((Reply("deleted"),))

    monkeypatch.setitem(confirm.ANSWERS, WAITING_FOR_DELETION, delete)
    run_action(ActionConfirm(), _tap(yes, {**slots, **slot_events(events)}))
    assert deleted == [True]


def _never(turn: Turn, catalogues: Catalogues, *, agreed: bool) -> Outcome:
    raise AssertionError("a late tap deleted data")
