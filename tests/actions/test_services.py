from actions.routing import ActionChooseOption
from actions.services import ActionAnswerService, ActionListServices
from bot.catalogue.bundle import Catalogues
from tests.actions.conftest import make_tracker, run_action, slot_events


def test_answers_the_aspect_asked_from_the_catalogue(catalogues: Catalogues) -> None:
    tracker = make_tracker(
        "what do I need to renew my passport?", "service_documents", {"service": "passport"}
    )
    messages, events = run_action(ActionAnswerService(), tracker)
    expected = catalogues.services.text("passport", "en").answer("documents")
    assert expected in messages[0]["text"]
    assert slot_events(events) == {"language": "en", "service": "passport"}


def test_follow_up_keeps_the_service_in_context(catalogues: Catalogues) -> None:
    tracker = make_tracker(
        "and how much is it?", "service_fee", slots={"language": "en", "service": "passport"}
    )
    messages, _ = run_action(ActionAnswerService(), tracker)
    assert catalogues.services.text("passport", "en").answer("fee") in messages[0]["text"]


def test_answers_in_the_conversation_language(catalogues: Catalogues) -> None:
    tracker = make_tracker(
        "combien coûte une carte d'identité ?", "service_fee", {"service": "national_id"}, {"language": "en"}
    )
    messages, events = run_action(ActionAnswerService(), tracker)
    assert catalogues.services.text("national_id", "fr").answer("fee") in messages[0]["text"]
    assert slot_events(events)["language"] == "fr"
    assert messages[0]["language"] == "fr"


def test_where_to_apply_includes_the_online_link(catalogues: Catalogues) -> None:
    tracker = make_tracker(
        "where do I apply for a driving licence", "service_where", {"service": "driving_licence"}
    )
    messages, _ = run_action(ActionAnswerService(), tracker)
    assert catalogues.services.services["driving_licence"].online_url in messages[0]["text"]


def test_overview_offers_the_aspects_as_choices(catalogues: Catalogues) -> None:
    tracker = make_tracker(
        "nitapataje cheti cha kuzaliwa?",
        "service_overview",
        {"service": "birth_certificate"},
        {"language": "sw"},
    )
    messages, _ = run_action(ActionAnswerService(), tracker)
    assert catalogues.services.text("birth_certificate", "sw").answer("overview") in messages[0]["text"]
    payloads = [b["payload"] for b in messages[-1]["buttons"]]
    assert '/service_fee{"service":"birth_certificate"}' in payloads
    assert len(payloads) == 6


def test_unclear_service_asks_which_one_with_choices(catalogues: Catalogues) -> None:
    tracker = make_tracker("how much does it cost?", "service_fee", slots={"language": "en"})
    messages, _ = run_action(ActionAnswerService(), tracker)
    assert messages[0]["text"] == catalogues.locales["en"].text("service_which")
    assert len(messages[0]["buttons"]) == len(catalogues.services.ids)
    assert messages[0]["buttons"][0]["payload"].startswith("/service_fee")


def test_text_only_channel_gets_numbered_options_and_a_number_chooses(catalogues: Catalogues) -> None:
    tracker = make_tracker("services", "list_services", slots={"language": "en"}, channel="sms")
    messages, events = run_action(ActionListServices(), tracker)
    assert messages[0]["buttons"] == []
    assert "\n1. " in messages[0]["text"] and "\n2. " in messages[0]["text"]
    options = slot_events(events)["options"]
    second = catalogues.services.text(catalogues.services.ids[1], "en")
    follow = make_tracker("2", "choose_option", slots={"language": "en", "options": options}, channel="sms")
    messages, _ = run_action(ActionChooseOption(), follow)
    assert second.answer("overview") in messages[0]["text"]
