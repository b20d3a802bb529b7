"""Alert subscriptions in the chat, run in memory against the real test Redis."""

from __future__ import annotations

import pytest

from actions.confirm import ActionConfirm
from actions.conversation import ActionFallback
from actions.routing import ActionChooseOption, ActionInform
from actions.subscriptions import ActionListSubscriptions, ActionSubscribeAlerts, ActionUnsubscribeAlerts
from bot.catalogue.bundle import Catalogues
from bot.services import Services
from tests.actions.conftest import make_tracker, run_action, slot_events, web_chat_turn

pytestmark = pytest.mark.usefixtures("live_services")


def test_subscribe_asks_region_then_consent_then_stores_it(
    services: Services, catalogues: Catalogues
) -> None:
    messages, events = web_chat_turn(
        ActionSubscribeAlerts(), "je veux recevoir les alertes", "subscribe_alerts", {"language": "fr"}
    )
    assert messages[0]["text"] == catalogues.locales["fr"].text("subscribe_which_region")
    assert len(messages[0]["buttons"]) == len(catalogues.regions.ids)
    pending = slot_events(events)["pending"]
    # The citizen types a place name: it answers the question.
    messages, events = web_chat_turn(
        ActionInform(), "Bandari", "inform", {"language": "fr", "pending": pending}
    )
    assert "Région de la Côte" in messages[0]["text"] and "?" in messages[0]["text"]
    assert services.subscriptions.get("socketio:test") is None  # nothing stored before consent
    consent = slot_events(events)["pending"]
    messages, events = web_chat_turn(ActionConfirm(), "oui", "affirm", {"language": "fr", "pending": consent})
    assert "STOP" in messages[0]["text"]
    stored = services.subscriptions.get("socketio:test")
    assert stored is not None and stored.language == "fr"
    [subscription] = stored.subscriptions
    assert (subscription.region, subscription.topics, subscription.consent_channel) == (
        "coast",
        (),
        "socketio",
    )
    assert slot_events(events)["pending"] is None


def test_declining_or_changing_the_subject_stores_nothing(services: Services, catalogues: Catalogues) -> None:
    _, events = web_chat_turn(
        ActionSubscribeAlerts(), "alerts for the lakes", "subscribe_alerts", region="lakes"
    )
    pending = slot_events(events)["pending"]
    messages, _ = web_chat_turn(ActionConfirm(), "no", "deny", {"pending": pending})
    assert messages[0]["text"] == catalogues.locales["en"].text("subscribe_declined")
    # "yes" after another subject is small talk, not consent.
    _, events = web_chat_turn(
        ActionSubscribeAlerts(), "alerts for the lakes", "subscribe_alerts", region="lakes"
    )
    _, later = web_chat_turn(
        ActionInform(), "passport", "inform", {"pending": slot_events(events)["pending"]}, service="passport"
    )
    assert slot_events(later)["pending"] is None
    messages, _ = web_chat_turn(ActionConfirm(), "yes", "affirm", {"pending": None})
    assert messages[0]["text"] == catalogues.locales["en"].text("acknowledge")
    assert services.subscriptions.get("socketio:test") is None


def test_topic_named_in_any_language_is_kept(services: Services) -> None:
    _, events = web_chat_turn(
        ActionSubscribeAlerts(),
        "nitumie tahadhari za mafuriko Bandari",
        "subscribe_alerts",
        {"language": "sw"},
        region="coast",
        alert_topic="mafuriko",
    )
    pending = slot_events(events)["pending"]
    assert pending["topics"] == ["weather"]
    web_chat_turn(ActionConfirm(), "ndiyo", "affirm", {"language": "sw", "pending": pending})
    stored = services.subscriptions.get("socketio:test")
    assert stored is not None and stored.subscriptions[0].topics == ("weather",)


def test_an_arabic_flood_subscription_is_for_floods_only(services: Services, catalogues: Catalogues) -> None:
    """The model tags no topic in "الفيضانات" (the lookups hold "فيضانات"): the text still names it."""
    text = "أريد تلقي تنبيهات الفيضانات في بانداري"
    messages, events = web_chat_turn(
        ActionSubscribeAlerts(), text, "subscribe_alerts", {"language": "ar"}, region="coast"
    )
    pending = slot_events(events)["pending"]
    assert pending["topics"] == ["weather"]
    assert catalogues.locales["ar"].alert_topic_names["weather"] in messages[0]["text"]
    web_chat_turn(ActionConfirm(), "نعم", "affirm", {"language": "ar", "pending": pending})
    stored = services.subscriptions.get("socketio:test")
    assert stored is not None and stored.subscriptions[0].topics == ("weather",)


def test_a_subscription_for_a_place_that_is_no_region_says_so(catalogues: Catalogues) -> None:
    messages, events = web_chat_turn(ActionSubscribeAlerts(), "alerts for Paris please", "subscribe_alerts")
    assert messages[0]["text"] == catalogues.locales["en"].text("alerts_unknown_place", place="Paris")
    assert slot_events(events)["pending"]["kind"] == "subscribe_region"


@pytest.mark.parametrize("intent", ["nlu_fallback", "inform"])
def test_a_lone_unknown_name_answering_which_region_asks_again_saying_so(
    catalogues: Catalogues, intent: str
) -> None:
    _, events = web_chat_turn(
        ActionSubscribeAlerts(), "flood alerts please", "subscribe_alerts", alert_topic="flood"
    )
    pending = slot_events(events)["pending"]
    action = ActionFallback() if intent == "nlu_fallback" else ActionInform()
    messages, events = web_chat_turn(action, "Paris", intent, {"pending": pending})
    assert messages[0]["text"] == catalogues.locales["en"].text("alerts_unknown_place", place="Paris")
    assert pending["topics"] == ["weather"]
    assert "pending" not in slot_events(events)  # unchanged: still waiting, the flood topic kept
    # Without the question, a lone unknown word is not understood, as before.
    messages, _ = web_chat_turn(action, "Paris", intent)
    assert messages[0]["text"] == catalogues.locales["en"].text("fallback")


def test_numbered_consent_on_a_text_only_channel(services: Services) -> None:
    tracker = make_tracker("alerts for the coast", "subscribe_alerts", {"region": "coast"}, channel="twilio")
    messages, events = run_action(ActionSubscribeAlerts(), tracker)
    assert "1. Yes, I agree" in messages[0]["text"]
    slots = slot_events(events)
    tracker = make_tracker("1", "choose_option", slots=slots, channel="twilio")
    run_action(ActionChooseOption(), tracker)
    assert services.subscriptions.get("twilio:test") is not None


def test_list_and_unsubscribe_one_region_then_stop_everything(
    services: Services, catalogues: Catalogues
) -> None:
    now = services.now()
    services.subscriptions.subscribe("socketio:test", "coast", ("health",), "en", now)
    services.subscriptions.subscribe("socketio:test", "north", (), "en", now)
    messages, _ = web_chat_turn(ActionListSubscriptions(), "what am i subscribed to", "list_subscriptions")
    assert "Coast Region: health" in messages[0]["text"] and "Northern Region: all" in messages[0]["text"]
    messages, _ = web_chat_turn(
        ActionUnsubscribeAlerts(), "stop alerts for the north", "unsubscribe_alerts", region="north"
    )
    assert messages[0]["text"] == catalogues.locales["en"].text(
        "unsubscribed_region", region="Northern Region"
    )
    messages, _ = web_chat_turn(ActionUnsubscribeAlerts(), "STOP", "unsubscribe_alerts")
    assert messages[0]["text"] == catalogues.locales["en"].text("unsubscribed_all")
    assert services.subscriptions.get("socketio:test") is None
    messages, _ = web_chat_turn(ActionUnsubscribeAlerts(), "STOP", "unsubscribe_alerts")
    assert messages[0]["text"] == catalogues.locales["en"].text("not_subscribed")


def test_stop_during_the_form_leaves_it() -> None:
    tracker = make_tracker("STOP", "unsubscribe_alerts", slots={"requested_slot": "concern_description"})
    tracker.active_loop = {"name": "concern_form"}
    _, events = run_action(ActionUnsubscribeAlerts(), tracker)
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)
    assert events[-1]["event"] == "followup"
