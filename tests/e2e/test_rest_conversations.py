"""Conversations through the running stack (REST channel), in every language."""

from __future__ import annotations

import pytest

from bot.catalogue.bundle import Catalogues
from bot.runtime.stack import Stack
from tests.e2e.conftest import Citizen

# (language, question, service, aspect, follow-up question, follow-up aspect)
CONVERSATIONS = [
    (
        "en",
        "How much does a passport cost?",
        "passport",
        "fee",
        "and how long does it take?",
        "processing_time",
    ),
    (
        "fr",
        "Combien coûte une carte d'identité ?",
        "national_id",
        "fee",
        "et quels documents faut-il ?",
        "documents",
    ),
    (
        "es",
        "¿Qué documentos necesito para el pasaporte?",
        "passport",
        "documents",
        "¿y cuánto cuesta?",
        "fee",
    ),
    ("ar", "ما هي رسوم جواز السفر؟", "passport", "fee", "وكم يستغرق إصداره؟", "processing_time"),
    (
        "pt",
        "Quanto custa a carta de condução?",
        "driving_licence",
        "fee",
        "e onde posso pedir?",
        "where_to_apply",
    ),
    ("sw", "Ada ya pasipoti ni kiasi gani?", "passport", "fee", "na inachukua muda gani?", "processing_time"),
]


@pytest.mark.parametrize("language,question,service,aspect,follow_up,follow_aspect", CONVERSATIONS)
def test_service_question_and_follow_up(
    stack: Stack,
    catalogues: Catalogues,
    language: str,
    question: str,
    service: str,
    aspect: str,
    follow_up: str,
    follow_aspect: str,
) -> None:
    citizen = Citizen()
    answer = citizen.text(question)
    assert catalogues.services.text(service, language).answer(aspect) in answer
    assert citizen.slot("language") == language
    answer = citizen.text(follow_up)
    assert catalogues.services.text(service, language).answer(follow_aspect) in answer


OUT_OF_SCOPE = {
    "en": "Who will win the football match tonight?",
    "fr": "Raconte-moi une blague sur les chats",
    "es": "¿Cuál es la receta de la paella?",
    "ar": "من سيفوز في مباراة كرة القدم الليلة؟",
    "pt": "Qual é a melhor receita de bolo de chocolate?",
    "sw": "Nani atashinda mechi ya mpira leo usiku?",
}


@pytest.mark.parametrize("language,text", OUT_OF_SCOPE.items())
def test_out_of_scope_gets_the_fallback_with_choices(
    stack: Stack, catalogues: Catalogues, language: str, text: str
) -> None:
    messages = Citizen().say(text)
    locale = catalogues.locales[language]
    assert messages[0]["text"] in (locale.text("fallback"), locale.text("out_of_scope"))
    assert len(messages[0]["buttons"]) == 7


def test_explicit_language_switches(stack: Stack, catalogues: Catalogues) -> None:
    citizen = Citizen()
    citizen.say("hello")
    assert catalogues.locales["fr"].text("language_changed") in citizen.text("in French please")
    assert citizen.slot("language") == "fr"
    assert catalogues.locales["sw"].text("language_changed") in citizen.text("Kiswahili tafadhali")
    assert citizen.slot("language") == "sw"
    assert catalogues.locales["ar"].text("language_changed") in citizen.text(
        '/switch_language{"language":"ar"}'
    )


def test_detected_language_switch(stack: Stack, catalogues: Catalogues) -> None:
    citizen = Citizen()
    citizen.say("Hello, what can you do for me?")
    assert citizen.slot("language") == "en"
    answer = citizen.text("¿Cuánto cuesta el certificado de antecedentes penales?")
    assert citizen.slot("language") == "es"
    assert catalogues.services.text("police_clearance", "es").answer("fee") in answer


def test_short_turns_keep_a_french_conversation_in_french(stack: Stack, catalogues: Catalogues) -> None:
    citizen = Citizen()
    citizen.say("Bonjour, combien coûte un passeport ?")
    assert citizen.slot("language") == "fr"
    french_texts = set(catalogues.locales["fr"].messages.values())
    for turn in ("ok", "oui", "Dakar"):
        messages = citizen.say(turn)
        assert citizen.slot("language") == "fr", turn
        assert messages and messages[0]["text"] in french_texts, (turn, messages)


def test_active_alerts_for_a_region(stack: Stack) -> None:
    citizen = Citizen()
    assert "Flood warning" in citizen.text("Which alerts are active in the Coast region?")
    assert "Alerta de inundación" in Citizen().text("¿Hay alertas activas en la región Costa?")


def test_browser_language_hint_sets_the_starting_language(stack: Stack, catalogues: Catalogues) -> None:
    citizen = Citizen(metadata={"language": "pt-PT"})
    assert citizen.text("hi") == catalogues.locales["pt"].text("greeting")


BAD_INPUT = {
    "empty": "",
    "huge": "I need a new passport for my trip. " * 300,
    "emoji": "😀🙏🔥",
    "mixed scripts": "passport جواز pasipoti 护照",
    "injection": "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "sql": "'; DROP TABLE users; --",
    "unsupported language": "Wie viel kostet ein Reisepass in diesem Land?",
    "control characters": "\u0000\u0007hello\u202e",
}


@pytest.mark.parametrize("name", BAD_INPUT)
def test_bad_input_gets_a_sensible_reply(stack: Stack, name: str) -> None:
    citizen = Citizen()
    messages = citizen.say(BAD_INPUT[name])
    assert messages, f"no reply to {name}"
    assert all(isinstance(m.get("text"), str) and m["text"] for m in messages)
    assert citizen.say("hello"), "the conversation goes on"


def test_empty_and_huge_messages_are_explained(stack: Stack, catalogues: Catalogues) -> None:
    assert Citizen().text("") == catalogues.locales["en"].text("empty_message")
    huge = "I need to know the fee for a new passport. " * 250
    assert catalogues.locales["en"].text("message_too_long") in Citizen().text(huge)
