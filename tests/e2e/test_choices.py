"""Choices as people actually answer them, through the real stack: a description typed instead of a
topic, a sentence instead of a service or a region, an old button tapped later, a place that is no
region (also typed in lowercase), an Arabic subscription to one topic."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.catalogue.bundle import Catalogues
from bot.runtime.stack import Stack
from tests.e2e.conftest import Citizen


@pytest.fixture()
def subscriber(stack: Stack) -> Iterator[Citizen]:
    """A citizen who may subscribe: unsubscribed afterwards, so that the other tests' alerts reach
    only their own subscribers."""
    citizen = Citizen({"language": "en"})
    yield citizen
    citizen.say("STOP")


#: A problem typed at "What is your concern about? Choose one", and the topic it is about.
DESCRIPTIONS = [
    (
        "en",
        "I want to report a problem",
        "The water pipe in our street is broken and we have had no water for a week",
        "water_sanitation",
    ),
    (
        "es",
        "Quiero reportar un problema",
        "no hay agua en mi barrio desde hace tres días",
        "water_sanitation",
    ),
    (
        "fr",
        "je veux signaler un problème",
        "Il n'y a plus d'enseignant à l'école de mon fils depuis un mois",
        "education",
    ),
    (
        "sw",
        "nataka kuripoti tatizo",
        "Barabara ya kwenda sokoni ina mashimo makubwa tangu mvua ya wiki iliyopita",
        "roads_transport",
    ),
]


@pytest.mark.parametrize("language,start,description,category", DESCRIPTIONS)
def test_a_description_typed_at_the_topic_step_is_kept_and_its_topic_shown(
    stack: Stack, catalogues: Catalogues, language: str, start: str, description: str, category: str
) -> None:
    locale = catalogues.locales[language]
    citizen = Citizen({"language": language})
    assert citizen.say(start)[0]["text"] == locale.text("concern_ask_category")
    answer = citizen.text(description)
    # Not the same question again, and not the description question: the description was kept.
    assert locale.text("concern_ask_category") not in answer
    assert locale.text("concern_ask_description") not in answer
    assert locale.concern_category_names[category] in answer
    assert locale.text("concern_ask_region") in answer
    assert citizen.text("Bandari") == locale.text("concern_ask_contact")
    summary = citizen.text(locale.text("answer_no"))
    assert description in summary and locale.concern_category_names[category] in summary, summary
    assert locale.text("concern_topic_inferred_note") in summary


def test_a_description_with_no_clear_topic_asks_for_the_topic_once_and_never_loops(
    stack: Stack, catalogues: Catalogues
) -> None:
    locale = catalogues.locales["en"]
    citizen = Citizen({"language": "en"})
    citizen.say("I want to report a problem")
    unclear = citizen.say("Something happened yesterday that I think somebody should know about")
    assert unclear[0]["text"] == locale.text("concern_topic_unclear")
    assert len(unclear[0]["buttons"]) == len(locale.concern_category_names)
    # Another text that names no topic: the report goes on under "Something else", the text kept.
    moved_on = citizen.text("I am not sure, it is complicated")
    assert locale.text("concern_topic_unclear") not in moved_on
    assert locale.text("concern_ask_category") not in moved_on
    assert locale.text("concern_ask_region") in moved_on
    citizen.text("Bandari")
    summary = citizen.text("no")
    assert "Something happened yesterday" in summary
    assert locale.concern_category_names["other"] in summary


def _consent_yes(citizen: Citizen, message: str, catalogues: Catalogues, language: str) -> str:
    asked = citizen.say(message)
    yes = next(
        b for b in asked[-1]["buttons"] if b["title"] == catalogues.locales[language].text("consent_yes")
    )
    return str(yes["payload"])


def test_a_consent_button_tapped_after_something_else_still_subscribes(
    subscriber: Citizen, catalogues: Catalogues
) -> None:
    locale = catalogues.locales["en"]
    citizen = subscriber
    yes = _consent_yes(citizen, "I want flood alerts for Bandari", catalogues, "en")
    citizen.say("how much is a passport?")
    answer = citizen.text(yes)
    assert answer != locale.text("acknowledge")
    assert locale.alert_topic_names["weather"] in answer and "STOP" in answer, answer
    listed = citizen.text("what am I subscribed to?")
    assert catalogues.regions.name("coast", "en") in listed, listed


def test_a_consent_button_whose_question_changed_says_it_is_closed_and_asks_again(
    subscriber: Citizen, catalogues: Catalogues
) -> None:
    citizen = subscriber
    yes = _consent_yes(citizen, "I want flood alerts for Bandari", catalogues, "en")
    # The question said "in English"; the conversation is now in French: that consent is not given.
    citizen.say('/switch_language{"language":"fr"}')
    french = catalogues.locales["fr"]
    answer = citizen.say(yes)
    assert answer[0]["text"] == french.text("question_closed")
    assert french.text("consent_yes") in [b["title"] for b in answer[-1].get("buttons") or []]
    assert french.text("subscriptions_none").split(".")[0] in citizen.text("mes abonnements")


def test_an_unknown_place_says_so_and_never_gives_the_earlier_region(
    subscriber: Citizen, catalogues: Catalogues
) -> None:
    locale = catalogues.locales["en"]
    citizen = subscriber
    north = citizen.text("are there alerts in the north?")
    assert catalogues.regions.name("north", "en") in north
    answer = citizen.say("alerts for Paris")
    assert answer[0]["text"] == locale.text("alerts_unknown_place", place="Paris")
    assert catalogues.regions.name("north", "en") in [b["title"] for b in answer[0]["buttons"]]
    assert catalogues.regions.name("north", "en") not in answer[0]["text"]
    # Answering "which region?" with it: the same, and the question still waits for a region.
    citizen.say("I want to get alerts")
    assert citizen.text("Paris") == locale.text("alerts_unknown_place", place="Paris")
    assert catalogues.regions.name("coast", "en") in citizen.text("Bandari")  # the consent question


def test_an_unknown_place_typed_in_lowercase_is_no_region_either(
    stack: Stack, catalogues: Catalogues
) -> None:
    locale = catalogues.locales["en"]
    citizen = Citizen({"language": "en"})
    assert catalogues.regions.name("north", "en") in citizen.text("are there alerts in the north?")
    answer = citizen.say("alerts for paris")
    assert answer[0]["text"] == locale.text("alerts_unknown_place", place="Paris")
    # Answering "which region?" with a lowercase name: said to be no region, the question kept.
    citizen.say("are there alerts?")
    assert citizen.text("paris") == locale.text("alerts_unknown_place", place="Paris")
    assert catalogues.regions.name("coast", "en") in citizen.text("bandari")


#: "How much does it cost?" names no service: the answer to "which service?" is a sentence that names
#: the service, and the fee asked about is answered (not the overview, not the question again).
SERVICE_SENTENCES = [
    ("en", "how much does it cost?", "for my driving licence please"),
    ("fr", "combien ça coûte ?", "pour mon permis de conduire svp"),
    ("es", "¿cuánto cuesta?", "es para la licencia de conducir de mi hijo"),
    ("pt", "quanto custa?", "é para a carta de condução"),
    ("ar", "كم التكلفة؟", "لرخصة القيادة من فضلك"),
    ("sw", "ada ni kiasi gani?", "ya leseni ya udereva tafadhali"),
    ("en", "what services do you offer?", "I need the fee for a driving licence"),
    ("sw", "huduma gani?", "nataka kujua ada ya leseni ya udereva"),
]


@pytest.mark.parametrize("language,question,sentence", SERVICE_SENTENCES)
def test_a_sentence_at_the_service_step_gets_its_service_and_the_aspect_asked(
    stack: Stack, catalogues: Catalogues, language: str, question: str, sentence: str
) -> None:
    locale = catalogues.locales[language]
    citizen = Citizen({"language": language})
    assert citizen.say(question)[0]["text"] == locale.text("service_which")
    answer = citizen.text(sentence)
    service = catalogues.services.text("driving_licence", language)
    heading = locale.text("service_answer", name=service.name, aspect=locale.text("aspect_fee"))
    assert heading in answer and service.answer("fee") in answer, answer


def test_a_sentence_naming_no_service_gets_the_list_once_more_then_the_main_menu(
    stack: Stack, catalogues: Catalogues
) -> None:
    locale = catalogues.locales["en"]
    citizen = Citizen({"language": "en"})
    citizen.say("what services do you offer?")
    again = citizen.say("the one for cars")
    assert again[0]["text"] == locale.text("service_not_found")
    assert len(again[0]["buttons"]) == len(catalogues.services.ids)
    moved_on = citizen.say("something else entirely")
    assert moved_on[0]["text"] == locale.text("fallback")  # the main menu, not the question a third time
    assert locale.text("service_which") not in citizen.text("something else entirely")


#: A region named inside a sentence typed at "which region?" (lowercase, with other words around it).
REGION_SENTENCES = [
    ("en", "I want to get alerts", "i live in bandari near the port", "coast"),
    ("sw", "nataka tahadhari", "kwa bandari tafadhali", "coast"),
    ("en", "are there alerts?", "hmm i am near jangwani i think", "north"),
    ("fr", "y a-t-il des alertes ?", "je suis vers jangwani", "north"),
]


@pytest.mark.parametrize("language,question,sentence,region", REGION_SENTENCES)
def test_a_sentence_at_the_region_step_gets_the_region_it_names(
    subscriber: Citizen, catalogues: Catalogues, language: str, question: str, sentence: str, region: str
) -> None:
    locale = catalogues.locales[language]
    citizen = subscriber
    citizen.metadata = {"language": language}
    asked = citizen.say(question)[0]["text"]
    assert asked in (locale.text("subscribe_which_region"), locale.text("alerts_which_region"))
    answer = citizen.text(sentence)
    assert catalogues.regions.name(region, language) in answer, answer
    assert locale.text("fallback") not in answer and locale.text("region_not_found") not in answer


@pytest.mark.parametrize("question", ["are there alerts?", "I want to get alerts"])
def test_a_sentence_naming_no_region_gets_the_list_once_more_then_the_main_menu(
    subscriber: Citizen, catalogues: Catalogues, question: str
) -> None:
    locale = catalogues.locales["en"]
    citizen = subscriber
    citizen.say(question)
    again = citizen.say("something else entirely")
    assert again[0]["text"] == locale.text("region_not_found")
    assert len(again[0]["buttons"]) == len(catalogues.regions.ids)
    assert citizen.say("something else entirely")[0]["text"] == locale.text("fallback")


def test_an_arabic_flood_subscription_is_for_floods_only(subscriber: Citizen, catalogues: Catalogues) -> None:
    arabic = catalogues.locales["ar"]
    citizen = subscriber
    citizen.metadata = {"language": "ar"}
    asked = citizen.text("أريد تلقي تنبيهات الفيضانات في بانداري")
    assert arabic.alert_topic_names["weather"] in asked and arabic.text("all_topics") not in asked, asked
    done = citizen.text("نعم")
    assert arabic.alert_topic_names["weather"] in done and arabic.text("all_topics") not in done, done
