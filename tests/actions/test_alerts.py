"""Pushed alerts in the chat and "tell me more", run in memory against the real test Redis."""

from __future__ import annotations

from typing import Any

import pytest

from actions.alerts import ActionAlertDetails, ActionDeliverAlert
from bot.alerts.model import AlertText
from bot.catalogue.bundle import Catalogues
from bot.fanout.notices import NoticeKind
from bot.fanout.pushed import Claim
from bot.services import Services, shared
from tests.actions.conftest import make_tracker, run_action, slot_events, web_chat_turn
from tests.bot.alerts.test_service import METEO_AUTHOR, make_alert

pytestmark = pytest.mark.usefixtures("live_services")


def _delivery(
    alert_id: str, kind: str = "alert", slots: dict[str, Any] | None = None, language: str = ""
) -> tuple:
    entities = {
        "alert_id": alert_id,
        "delivery_kind": kind,
        "delivery_id": f"{alert_id}:{kind}:socketio:test",
        **({"language": language} if language else {}),
    }
    tracker = make_tracker(
        "EXTERNAL: EXTERNAL_alert", "EXTERNAL_alert", entities, slots=slots or {}, channel="socketio"
    )
    return run_action(ActionDeliverAlert(), tracker)


def _flood_in_english_and_french(services: Services) -> Any:
    """A live alert for the coast with an English and a French text; its record."""
    alert = make_alert(services, regions=("coast",))
    texts = {
        "en": AlertText("Flood", "River rising.", "Go uphill."),
        "fr": AlertText("Crue", "Le fleuve monte.", "Montez."),
    }
    return services.alerts.create(METEO_AUTHOR, type(alert)(**{**alert.__dict__, "texts": texts}))


def test_pushed_alert_in_the_conversation_language_once_then_tell_me_more(
    services: Services, catalogues: Catalogues
) -> None:
    record = _flood_in_english_and_french(services)
    messages, events = _delivery(record.alert_id, slots={"language": "fr"})
    text = messages[0]["text"]
    assert catalogues.locales["fr"].ministry_names["meteo"] in text and "Crue" in text and "Montez." in text
    slots = {**slot_events(events), "language": "fr"}
    assert slots["last_alert"] == record.alert_id
    again, _ = _delivery(record.alert_id, slots=slots)
    assert again == []  # a repeated delivery shows nothing
    details, _ = web_chat_turn(ActionAlertDetails(), "plus", "alert_details", slots)
    assert "Le fleuve monte." in details[0]["text"] and "Région de la Côte" in details[0]["text"]


def test_an_alert_into_an_expired_conversation_is_in_the_language_of_the_subscription(
    services: Services, catalogues: Catalogues
) -> None:
    """The conversation (and its language) ran out of retention; the subscription says French."""
    record = _flood_in_english_and_french(services)
    messages, events = _delivery(record.alert_id, language="fr")
    assert "Crue" in messages[0]["text"] and slot_events(events)["language"] == "fr"
    # The conversation's own language, while it has one, still decides
    messages, _ = _delivery(record.alert_id, slots={"language": "en"}, language="fr")
    assert "Flood" in messages[0]["text"]


def test_missing_language_falls_back_with_a_note_and_cancellation_is_announced(
    services: Services, catalogues: Catalogues
) -> None:
    record = services.alerts.create(METEO_AUTHOR, make_alert(services, headline="Cholera"))
    messages, _ = _delivery(record.alert_id, slots={"language": "sw"})
    assert "Cholera" in messages[0]["text"]
    assert catalogues.locales["sw"].text("alerts_other_language") in messages[0]["text"]
    services.alerts.cancel(METEO_AUTHOR, record.alert_id)
    messages, _ = _delivery(record.alert_id, kind="cancel", slots={"language": "sw"})
    notice = messages[0]["text"]
    assert "Cholera" in notice and catalogues.locales["sw"].ministry_names["meteo"] in notice
    assert notice != catalogues.locales["sw"].text("alert_details_none")


def test_a_citizen_cannot_forge_a_delivery_or_see_a_pending_alert(
    services: Services, catalogues: Catalogues
) -> None:
    pending = services.alerts.create(METEO_AUTHOR, make_alert(services), draft=True)
    entities = {"alert_id": pending.alert_id, "delivery_kind": "alert", "delivery_id": "x"}
    forged = make_tracker(
        f'/EXTERNAL_alert{{"alert_id":"{pending.alert_id}"}}', "EXTERNAL_alert", entities, channel="socketio"
    )
    messages, _ = run_action(ActionDeliverAlert(), forged)
    assert messages[0]["text"] == catalogues.locales["en"].text("fallback")
    messages, _ = _delivery(pending.alert_id)
    assert messages == []  # a draft is never shown, even to a real delivery


def test_tell_me_more_without_an_alert(catalogues: Catalogues) -> None:
    messages, _ = web_chat_turn(ActionAlertDetails(), "tell me more", "alert_details")
    assert messages[0]["text"] == catalogues.locales["en"].text("alert_details_none")


def test_a_delivery_is_remembered_when_it_ends_for_good_and_not_when_the_store_fails(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker counts a delivery as sent only once the conversation remembers its id."""
    draft = services.alerts.create(METEO_AUTHOR, make_alert(services), draft=True)
    messages, events = _delivery(draft.alert_id)  # not live: nothing to show, ever
    assert (
        messages == [] and f"{draft.alert_id}:alert:socketio:test" in slot_events(events)["delivered_alerts"]
    )

    import redis

    def store_down(_: str) -> None:
        raise redis.ConnectionError("down")

    monkeypatch.setattr(shared(), "repository", type("Down", (), {"get": staticmethod(store_down)})())
    messages, events = _delivery(draft.alert_id)
    assert messages == [] and "delivered_alerts" not in slot_events(events)  # the worker tries again


def test_tell_me_more_after_an_alert_sent_straight_through_the_channel(
    services: Services, catalogues: Catalogues
) -> None:
    """A direct delivery (bot/channels/direct.py) leaves the tracker alone: the record says what came."""
    older = services.alerts.create(METEO_AUTHOR, make_alert(services, headline="Cholera"))
    record = _flood_in_english_and_french(services)
    claim = Claim("test", f"{record.alert_id}:alert:telegram:test", NoticeKind.ALERT, record.alert_id)
    services.pushed_notices.claim_many([claim])
    slots = {"language": "fr", "last_alert": older.alert_id}  # pushed through Rasa before
    details, _ = web_chat_turn(ActionAlertDetails(), "plus", "alert_details", slots)
    assert "Le fleuve monte." in details[0]["text"]


def test_a_push_through_the_conversation_is_noted_for_tell_me_more(services: Services) -> None:
    record = _flood_in_english_and_french(services)
    _delivery(record.alert_id, slots={"language": "en"})
    latest = services.pushed_notices.latest("test", frozenset({NoticeKind.ALERT}))
    assert latest is not None and latest.reference == record.alert_id


def test_the_subscription_follows_the_conversations_language(services: Services) -> None:
    """So that alerts sent straight through the channel are worded in the language spoken now."""
    services.subscriptions.subscribe("rest:test", "coast", (), "en", services.now())
    run_action(ActionAlertDetails(), make_tracker("plus", "alert_details", slots={"language": "en"}))
    assert services.subscriptions.languages(["rest:test"]) == ["en"]  # unchanged: nothing changed
    run_action(
        ActionAlertDetails(),
        make_tracker(
            "je voudrais en savoir plus sur cette alerte", "alert_details", slots={"language": "en"}
        ),
    )
    assert services.subscriptions.languages(["rest:test"]) == ["fr"]
