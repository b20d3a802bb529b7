from datetime import timedelta

from actions.conversation import ActionFallback, ActionSmallTalk
from bot.catalogue.bundle import Catalogues
from bot.services import Services, use
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


def test_an_unanswered_turn_is_kept_redacted_for_the_people_who_improve_the_assistant(
    services: Services,
) -> None:
    use(services)
    run_action(ActionFallback(), make_tracker("xyzzy plugh call me on 0712 345 678", "nlu_fallback"))
    run_action(ActionSmallTalk(), make_tracker("hello", "greet"))
    now = services.now()
    kept = services.unanswered.entries(now - timedelta(minutes=5), now + timedelta(minutes=5))
    assert [(e.reason, e.language, e.channel) for e in kept] == [("not_understood", "en", "rest")]
    assert "0712 345 678" not in kept[0].text and "xyzzy" in kept[0].text
    (today,) = services.unanswered.understood(now.date(), now.date())
    assert (today["turns"], today["unanswered"]) == (2, 1)  # the greeting was understood


def test_a_sentence_the_model_missed_answers_the_pending_service_question(catalogues: Catalogues) -> None:
    """ "Combien ça coûte ?" then "pour mon permis de conduire svp": the fee, not "I did not understand"."""
    pending = {"kind": "service_choice", "aspect": "fee", "again": False}
    tracker = make_tracker(
        "pour mon permis de conduire svp",
        "nlu_fallback",
        entities={"service": "driving_licence"},
        slots={"language": "fr", "pending": pending},
    )
    messages, events = run_action(ActionFallback(), tracker)
    locale = catalogues.locales["fr"]
    name = catalogues.services.text("driving_licence", "fr").name
    assert messages[0]["text"].startswith(
        locale.text("service_answer", name=name, aspect=locale.text("aspect_fee"))
    )
    assert slot_events(events)["pending"] is None


def test_a_sentence_naming_a_region_answers_the_pending_region_question(
    catalogues: Catalogues, fake_alerts: FakeAlerts
) -> None:
    pending = {"kind": "alerts_region", "again": False}
    tracker = make_tracker(
        "hmm i am near jangwani i think", "nlu_fallback", slots={"language": "en", "pending": pending}
    )
    messages, _ = run_action(ActionFallback(), tracker)
    assert catalogues.regions.name("north", "en") in messages[0]["text"]


def test_out_of_scope_at_a_pending_choice_asks_once_more_then_gives_the_main_menu(
    catalogues: Catalogues,
) -> None:
    locale = catalogues.locales["en"]
    first = {"kind": "subscribe_region", "topics": [], "again": False}
    messages, events = run_action(
        ActionSmallTalk(), make_tracker("the one by the sea", "out_of_scope", slots={"pending": first})
    )
    assert messages[0]["text"] == locale.text("region_not_found")
    again = slot_events(events)["pending"]
    assert again["again"] is True
    messages, events = run_action(
        ActionSmallTalk(), make_tracker("the one by the sea", "out_of_scope", slots={"pending": again})
    )
    assert messages[0]["text"] == locale.text("fallback")  # the main menu: not the question a third time
    assert slot_events(events)["pending"] is None
