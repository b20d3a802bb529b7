"""Answers through the real stack that lead somewhere: a direct answer offers the other aspects of the
service and the way home (buttons on the web, numbers and "0. Main menu" on WhatsApp), and a shelter
question in every language names the open shelters of the region, from the shelter catalogue."""

from __future__ import annotations

import uuid

import pytest

from bot.catalogue.bundle import Catalogues
from bot.runtime.stack import Stack
from tests.e2e.conftest import TWILIO_WHATSAPP_NUMBER, Citizen, ProviderStandIn
from tests.e2e.test_twilio import MESSAGES, _post, _sent_to

# (language, "is there a shelter in Bandari?", the same for a region where every shelter is full)
SHELTER_QUESTIONS = [
    ("en", "Is there a shelter in Bandari?", "is there a shelter in Mpaka?"),
    ("fr", "Y a-t-il un abri à Bandari ?", "Y a-t-il un abri à Mpaka ?"),
    ("es", "¿Hay un refugio en Bandari?", "¿Hay algún refugio en Mpaka?"),
    ("ar", "هل يوجد مأوى في بانداري؟", "هل يوجد مأوى في امباكا؟"),
    ("pt", "Há algum abrigo em Bandari?", "Há algum abrigo em Mpaka?"),
    ("sw", "Kuna makazi Bandari?", "Kuna makazi ya dharura Mpaka?"),
]


@pytest.mark.parametrize("language,question,none_open", SHELTER_QUESTIONS)
def test_a_shelter_question_names_the_open_shelters_of_the_region(
    stack: Stack, catalogues: Catalogues, language: str, question: str, none_open: str
) -> None:
    citizen = Citizen({"language": language})
    answer = citizen.text(question)
    open_ones = [s.names[language] for s in catalogues.shelters.open_in(("coast",))]
    full = catalogues.shelters.shelters["bandari_hall"].names[language]
    assert open_ones and all(name in answer for name in open_ones), answer
    assert full not in answer  # full: not offered
    locale = catalogues.locales[language]
    assert locale.text("shelters_open", region=catalogues.regions.name("coast", language)) in answer
    region = catalogues.regions.name("south", language)
    assert citizen.text(none_open) == locale.text("shelters_none", region=region)


def test_a_direct_answer_offers_the_other_aspects_and_the_main_menu_as_buttons(
    stack: Stack, catalogues: Catalogues
) -> None:
    locale = catalogues.locales["en"]
    citizen = Citizen({"language": "en"})
    replies = citizen.say("How much does a passport cost?")
    assert catalogues.services.text("passport", "en").answer("fee") in replies[0]["text"]
    titles = [b["title"] for b in replies[-1]["buttons"]]
    assert locale.text("aspect_documents") in titles and locale.text("aspect_processing_time") in titles
    assert locale.text("aspect_fee") not in titles and titles[-1] == locale.text("menu_main")
    documents = next(b for b in replies[-1]["buttons"] if b["title"] == locale.text("aspect_documents"))
    assert catalogues.services.text("passport", "en").answer("documents") in citizen.text(
        documents["payload"]
    )
    # the conversation remembers the service and the aspect: "and for the ID card?" is its documents
    assert catalogues.services.text("national_id", "en").answer("documents") in citizen.text(
        "and for the ID card?"
    )
    home = citizen.say(replies[-1]["buttons"][-1]["payload"])
    assert locale.text("menu_services") in [b["title"] for b in home[-1]["buttons"]]


def test_on_whatsapp_the_other_aspects_are_numbered_and_0_is_the_main_menu(
    stack: Stack, telegram_api: ProviderStandIn, catalogues: Catalogues
) -> None:
    locale = catalogues.locales["es"]
    sender = f"whatsapp:+3460{uuid.uuid4().int % 10_000_000:07d}"

    def sms(text: str) -> str:
        before = len(telegram_api.calls_to(MESSAGES))
        form = {"From": sender, "To": TWILIO_WHATSAPP_NUMBER, "Body": text, "MessageSid": uuid.uuid4().hex}
        assert _post("whatsapp", form) == 200
        return "\n".join(m["Body"] for m in _sent_to(telegram_api, sender, before))

    answer = sms("¿Cuánto cuesta el pasaporte?")
    lines = answer.split("\n")
    assert catalogues.services.text("passport", "es").answer("fee") in answer
    assert f"1. {locale.text('aspect_eligibility')}" in lines and lines[-1] == locale.text("main_menu_hint")
    number = next(line.split(".")[0] for line in lines if line.endswith(locale.text("aspect_where_to_apply")))
    assert catalogues.services.text("passport", "es").answer("where_to_apply") in sms(number)
    home = sms("0")
    assert home.startswith(locale.text("help")) and f"1. {locale.text('menu_services')}" in home
