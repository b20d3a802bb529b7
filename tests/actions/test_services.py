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
    assert slot_events(events) == {"language": "en", "service": "passport", "aspect": "documents"}


def test_a_direct_answer_offers_the_other_aspects_and_the_way_home(catalogues: Catalogues) -> None:
    locale = catalogues.locales["fr"]
    tracker = make_tracker(
        "combien coûte le passeport ?", "service_fee", {"service": "passport"}, channel="socketio"
    )
    messages, _ = run_action(ActionAnswerService(), tracker)
    assert catalogues.services.text("passport", "fr").answer("fee") in messages[0]["text"]
    offer = messages[-1]
    assert offer["text"] == locale.text(
        "service_other_aspects", name=catalogues.services.text("passport", "fr").name
    )
    titles = [b["title"] for b in offer["buttons"]]
    assert locale.text("aspect_documents") in titles and locale.text("aspect_where_to_apply") in titles
    assert locale.text("aspect_fee") not in titles  # the one just answered
    assert titles[-1] == locale.text("menu_main") and offer["buttons"][-1]["payload"] == "/help"


def test_on_a_text_channel_the_other_aspects_are_numbered_and_0_goes_home(catalogues: Catalogues) -> None:
    locale = catalogues.locales["en"]
    tracker = make_tracker(
        "passport fee", "service_fee", {"service": "passport"}, {"language": "en"}, channel="twilio"
    )
    messages, events = run_action(ActionAnswerService(), tracker)
    [message] = messages  # the answer and the offer in one message: one SMS
    lines = message["text"].split("\n")
    assert catalogues.services.text("passport", "en").answer("fee") in message["text"]
    offer = locale.text("service_other_aspects", name=catalogues.services.text("passport", "en").name)
    hint = lines.index(locale.text("options_hint"))
    assert lines[hint - 1] == offer and lines[hint + 1] == f"1. {locale.text('aspect_eligibility')}"
    assert lines[-1] == locale.text("main_menu_hint")  # "0. Main menu", not also a numbered option
    assert locale.text("menu_main") not in lines[-2]
    options = slot_events(events)["options"]
    chosen = make_tracker(
        "2", "choose_option", slots={"language": "en", "options": options}, channel="twilio"
    )
    messages, _ = run_action(ActionChooseOption(), chosen)
    assert catalogues.services.text("passport", "en").answer("documents") in messages[0]["text"]
    home = make_tracker("0", "choose_option", slots={"language": "en", "options": options}, channel="twilio")
    messages, _ = run_action(ActionChooseOption(), home)
    assert messages[0]["text"].startswith(locale.text("help"))
    assert locale.text("menu_services") in messages[0]["text"]
    assert locale.text("main_menu_hint") not in messages[0]["text"]  # the main menu itself


def test_another_service_named_after_an_answer_gets_the_same_aspect(catalogues: Catalogues) -> None:
    from actions.routing import ActionInform

    slots = {"language": "en", "service": "passport", "aspect": "fee"}
    tracker = make_tracker("and for the ID card?", "inform", {"service": "national_id"}, slots)
    messages, events = run_action(ActionInform(), tracker)
    assert catalogues.services.text("national_id", "en").answer("fee") in messages[0]["text"]
    assert slot_events(events) == {"service": "national_id"}  # the aspect stays "fee"


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


def test_an_unsure_service_question_naming_no_service_gets_the_fallback(catalogues: Catalogues) -> None:
    """ "¿cuál es la capital de Canadá?" taken for a service question at 0.45 is no question about
    a service: the assistant says it did not understand rather than ask "which service?"."""
    unsure = make_tracker(
        "cual es la capital de Canadá", "service_where", slots={"language": "es"}, confidence=0.45
    )
    messages, _ = run_action(ActionAnswerService(), unsure)
    assert messages[0]["text"] == catalogues.locales["es"].text("fallback")
    sure = make_tracker("y dónde se hace?", "service_where", slots={"language": "es"}, confidence=0.85)
    messages, _ = run_action(ActionAnswerService(), sure)
    assert messages[0]["text"] == catalogues.locales["es"].text("service_which")
    # with a service in the conversation, the same unsure question is a follow-up about it
    context = make_tracker(
        "y cuánto?", "service_fee", slots={"language": "es", "service": "passport"}, confidence=0.45
    )
    messages, _ = run_action(ActionAnswerService(), context)
    assert catalogues.services.text("passport", "es").answer("fee") in messages[0]["text"]


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
