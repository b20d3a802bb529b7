"""Concerns through the real stack: a citizen reports in Spanish over REST and follows the ticket."""

from __future__ import annotations

import re

from bot.catalogue.bundle import Catalogues
from bot.concerns.ticket import ALPHABET
from bot.runtime.stack import Stack
from tests.e2e.conftest import Citizen


def test_report_in_spanish_get_a_ticket_and_ask_its_status(stack: Stack, catalogues: Catalogues) -> None:
    locale = catalogues.locales["es"]
    citizen = Citizen({"language": "es"})
    asked = citizen.say("Quiero reportar un problema")
    assert asked[0]["text"] == locale.text("concern_ask_category")
    water = next(
        b for b in asked[0]["buttons"] if b["title"] == locale.concern_category_names["water_sanitation"]
    )
    assert citizen.text(water["payload"]) == locale.text("concern_ask_description")
    assert locale.text("concern_description_too_short") in citizen.text("agua")
    region_question = citizen.text("No hay agua en el barrio desde el lunes. Mi número es +254 712 345 678.")
    assert region_question.startswith(locale.text("concern_ask_region"))
    assert citizen.text("cerca del mercado de Ziwani") == locale.text("concern_ask_contact")
    summary = citizen.text("sí")
    assert "No hay agua en el barrio desde el lunes" in summary and "Ziwani" in summary
    filed = citizen.text("sí")
    match = re.search(rf"\b[{ALPHABET}]{{6}}\b", filed)
    assert match and catalogues.locales["es"].ministry_names["water"] in filed, filed
    ticket = match.group()
    status = citizen.text(f"¿cuál es el estado de {ticket.lower()}?")
    assert ticket in status and locale.text("concern_status_received") in status


def test_stop_in_the_middle_of_a_report_leaves_it(stack: Stack, catalogues: Catalogues) -> None:
    citizen = Citizen({"language": "fr"})
    citizen.say("je veux signaler un problème")
    answer = citizen.text("STOP")
    assert answer == catalogues.locales["fr"].text("not_subscribed")
    # The report was left: a new message is understood as usual, not taken as the report's topic.
    assert catalogues.locales["fr"].text("concern_ask_category") not in citizen.text("bonjour")
