"""Concerns through the real stack: a citizen reports in Spanish over REST and follows the ticket, and
"the status of my report" right after filing is that ticket, in every language."""

from __future__ import annotations

import re

import pytest

from bot.catalogue.bundle import Catalogues
from bot.concerns.ticket import ALPHABET
from bot.runtime.stack import Stack
from tests.e2e.conftest import Citizen, records


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


async def _spanish_report_then_ministry_answers(
    water_key: str, analyst_key: str, catalogues: Catalogues
) -> None:
    import asyncio

    import websockets

    from tests.e2e.test_alerts import _get, _next_bot_message
    from tests.e2e.test_socketio import SOCKET_URL, SocketChat

    locale = catalogues.locales["es"]
    async with websockets.connect(SOCKET_URL) as socket:
        chat = SocketChat(socket)
        await chat.open()
        await chat.say("Quiero reportar un problema", {"language": "es"})
        await chat.say(locale.concern_category_names["water_sanitation"], {})
        await chat.say(
            "No hay agua en Ziwani desde el lunes. Soy María López, mi correo es maria@example.org.", {}
        )
        await chat.say("Ziwani", {})
        await chat.say("sí", {})
        filed = await chat.say("sí", {})
        match = re.search(rf"\b[{ALPHABET}]{{6}}\b", filed[0]["text"])
        assert match, filed
        ticket = match.group()

        seen = await asyncio.to_thread(_get, f"/api/v1/concerns/{ticket}", analyst_key)
        assert seen["ministry"] == "water" and seen["language"] == "es"
        assert "maria@example.org" not in seen["description"] and "María López" not in seen["description"]
        assert seen["original"] is None  # analysts never see the original

        status, changed = await asyncio.to_thread(
            _post_json,
            f"/api/v1/concerns/{ticket}/status",
            water_key,
            {"status": "in_progress", "note": "Cuadrilla enviada."},
        )
        assert status == 200, changed
        told = await _next_bot_message(chat, 30)
        assert told is not None and ticket in told["text"]
        assert (
            locale.text("concern_status_in_progress") in told["text"] and "Cuadrilla enviada." in told["text"]
        )
        assert told["metadata"]["language"] == "es"
        asked = await chat.say(f"estado {ticket}", {})
        assert locale.text("concern_status_in_progress") in asked[0]["text"]


def _post_json(path: str, key: str, body: object) -> tuple[int, object]:
    import json
    import urllib.request

    from tests.e2e.conftest import WEB

    request = urllib.request.Request(
        WEB + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_ministry_moves_a_spanish_report_and_the_citizen_is_told_in_spanish(
    stack: Stack, catalogues: Catalogues
) -> None:
    import asyncio

    from bot.alerts.model import utc_now
    from bot.auth.roles import Role

    store = records().api_keys
    water, _ = store.create("water", Role.AUTHOR, "water officer", utc_now())
    analyst, _ = store.create("health", Role.ANALYST, "analyst", utc_now())
    asyncio.run(_spanish_report_then_ministry_answers(water, analyst, catalogues))


# (language, a description, "what is the status of my report?")
MY_REPORT = [
    ("en", "There has been no water in our street since Monday.", "what is the status of my report?"),
    ("fr", "Il n'y a plus d'eau dans notre rue depuis lundi.", "quel est l'état de mon signalement ?"),
    ("es", "No hay agua en nuestra calle desde el lunes.", "¿cuál es el estado de mi reporte?"),
    ("ar", "لا يوجد ماء في شارعنا منذ يوم الاثنين.", "ما حالة بلاغي؟"),
    ("pt", "Não há água na nossa rua desde segunda-feira.", "qual é o estado da minha denúncia?"),
    ("sw", "Hakuna maji katika mtaa wetu tangu Jumatatu.", "hali ya ripoti yangu ni gani?"),
]


def _file(citizen: Citizen, category: str, description: str) -> str:
    """A report through the form with buttons where there are some; its ticket."""
    citizen.say(f'/report_concern{{"concern_category":"{category}"}}')
    citizen.say(description)
    citizen.say("Bandari")
    citizen.say("/deny")  # no contact
    filed = citizen.text("/affirm")
    match = re.search(rf"\b[{ALPHABET}]{{6}}\b", filed)
    assert match, filed
    return match.group()


@pytest.mark.parametrize("language,description,asked", MY_REPORT)
def test_right_after_filing_the_status_of_my_report_is_that_ticket(
    stack: Stack, catalogues: Catalogues, language: str, description: str, asked: str
) -> None:
    locale = catalogues.locales[language]
    citizen = Citizen({"language": language})
    assert citizen.text(asked) == locale.text("concern_status_which")  # nothing filed yet
    ticket = _file(citizen, "water_sanitation", description)
    status = citizen.text(asked)
    assert ticket in status and locale.text("concern_status_received") in status, status
    assert status != locale.text("concern_status_which")


def test_with_several_reports_my_report_is_a_choice_between_them(
    stack: Stack, catalogues: Catalogues
) -> None:
    locale = catalogues.locales["fr"]
    citizen = Citizen({"language": "fr"})
    water = _file(citizen, "water_sanitation", "Il n'y a plus d'eau dans notre rue depuis lundi.")
    roads = _file(citizen, "roads_transport", "Un énorme nid-de-poule sur la route du port.")
    [choice] = citizen.say("quel est l'état de mon signalement ?")
    assert choice["text"] == locale.text("concern_status_choose")
    titles = [b["title"] for b in choice["buttons"]]
    assert roads in titles[0] and water in titles[1], titles  # newest first
    status = citizen.text(choice["buttons"][1]["payload"])
    assert water in status and locale.concern_category_names["water_sanitation"] in status
