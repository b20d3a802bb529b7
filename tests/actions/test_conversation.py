from datetime import timedelta

import pytest

from actions.conversation import ActionFallback, ActionSmallTalk
from actions.crisis import ActionActiveAlerts, ActionAnswerCrisis
from actions.language import ActionSwitchLanguage
from actions.routing import ActionInform
from bot.alerts.model import Alert, AlertText, utc_now
from bot.catalogue.bundle import Catalogues
from tests.actions.conftest import FakeAlerts, make_tracker, run_action, slot_events


def test_greeting_says_what_it_can_do_with_choices(catalogues: Catalogues) -> None:
    messages, _ = run_action(ActionSmallTalk(), make_tracker("hello", "greet"))
    assert messages[0]["text"] == catalogues.locales["en"].text("greeting")
    assert len(messages[0]["buttons"]) == 7


def test_greeting_uses_the_browser_language_hint(catalogues: Catalogues) -> None:
    tracker = make_tracker("hi", "greet", metadata={"language": "pt-BR"})
    messages, events = run_action(ActionSmallTalk(), tracker)
    assert messages[0]["text"] == catalogues.locales["pt"].text("greeting")
    assert slot_events(events)["language"] == "pt"


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


def test_explicit_switch_answers_in_the_new_language(catalogues: Catalogues) -> None:
    tracker = make_tracker("Kiswahili tafadhali", "switch_language", {"language": "sw"}, {"language": "en"})
    messages, events = run_action(ActionSwitchLanguage(), tracker)
    assert messages[0]["text"] == catalogues.locales["sw"].text("language_changed")
    assert slot_events(events)["language"] == "sw"


def test_switch_without_a_known_language_offers_the_menu(catalogues: Catalogues) -> None:
    tracker = make_tracker("can you speak german please", "switch_language", slots={"language": "en"})
    messages, _ = run_action(ActionSwitchLanguage(), tracker)
    assert messages[0]["text"] == catalogues.locales["en"].text("language_unsupported")
    assert [b["title"] for b in messages[0]["buttons"]] == [
        lang.name for lang in catalogues.languages.languages
    ]


def test_crisis_topic_answer_and_menu(catalogues: Catalogues) -> None:
    tracker = make_tracker("what are the symptoms", "ask_crisis", {"crisis_topic": "symptoms"})
    messages, _ = run_action(ActionAnswerCrisis(), tracker)
    assert catalogues.crisis.topic("symptoms", "en").answer in messages[0]["text"]
    messages, _ = run_action(ActionAnswerCrisis(), make_tracker("crisis info", "ask_crisis"))
    assert len(messages[0]["buttons"]) == len(catalogues.crisis.topic_ids)


def test_active_alerts_in_region_in_citizen_language(catalogues: Catalogues, fake_alerts: FakeAlerts) -> None:
    now = utc_now()
    fake_alerts.alerts.append(
        Alert(
            alert_id="a1",
            severity="Severe",
            regions=("coast",),
            effective=now - timedelta(hours=1),
            expires=now + timedelta(hours=5),
            texts={
                "en": AlertText("Flood warning", "Rivers rising", "Move to higher ground"),
                "fr": AlertText("Alerte inondation", "Crue", "Montez en hauteur"),
            },
        )
    )
    tracker = make_tracker("alertes à Bandari ?", "ask_alerts", {"region": "coast"}, {"language": "fr"})
    messages, events = run_action(ActionActiveAlerts(), tracker)
    assert "Alerte inondation" in messages[0]["text"]
    assert catalogues.regions.name("coast", "fr") in messages[0]["text"]
    assert slot_events(events)["region"] == "coast"
    tracker = make_tracker("tahadhari Bandari", "ask_alerts", {"region": "coast"}, {"language": "sw"})
    messages, _ = run_action(ActionActiveAlerts(), tracker)
    assert "Flood warning" in messages[0]["text"]
    assert catalogues.locales["sw"].text("alerts_other_language") in messages[0]["text"]


def test_no_alerts_and_unknown_region(catalogues: Catalogues, fake_alerts: FakeAlerts) -> None:
    messages, _ = run_action(
        ActionActiveAlerts(), make_tracker("alerts north", "ask_alerts", {"region": "north"})
    )
    assert messages[0]["text"] == catalogues.locales["en"].text(
        "alerts_none", region=catalogues.regions.name("north", "en")
    )
    messages, _ = run_action(ActionActiveAlerts(), make_tracker("alerts in Atlantis", "ask_alerts"))
    assert messages[0]["text"] == catalogues.locales["en"].text("alerts_which_region")


def test_lone_region_name_gives_its_alerts(catalogues: Catalogues, fake_alerts: FakeAlerts) -> None:
    messages, _ = run_action(ActionInform(), make_tracker("Jangwani", "inform", slots={"language": "en"}))
    assert catalogues.regions.name("north", "en") in messages[0]["text"]


def test_redis_outage_gets_a_try_again_later(catalogues: Catalogues, monkeypatch: pytest.MonkeyPatch) -> None:
    import redis

    from actions import resources

    class DownStore:
        def active_in_region(self, region_id: str, now: object) -> list[Alert]:
            raise redis.ConnectionError("connection refused")

    monkeypatch.setattr(resources, "alert_store", DownStore)
    tracker = make_tracker("alerts coast", "ask_alerts", {"region": "coast"}, {"language": "pt"})
    messages, _ = run_action(ActionActiveAlerts(), tracker)
    assert messages[0]["text"] == catalogues.locales["pt"].text("temporary_error")
