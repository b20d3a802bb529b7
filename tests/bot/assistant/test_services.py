"""Answers about services: one aspect, or an overview with the other aspects to choose from."""

from __future__ import annotations

from bot.assistant.menus import service_menu
from bot.assistant.replies import parse_payload
from bot.assistant.services import ASPECT_INTENTS, answer_service, list_services
from bot.catalogue.bundle import Catalogues
from bot.catalogue.services import ASPECTS


def test_every_aspect_has_an_intent() -> None:
    assert sorted(ASPECT_INTENTS.values()) == sorted(ASPECTS)


def test_an_aspect_is_answered_under_a_heading_and_the_service_remembered(catalogues: Catalogues) -> None:
    locale = catalogues.locales["fr"]
    service = catalogues.services.text("passport", "fr")
    outcome = answer_service(catalogues, "fr", "passport", "fee")
    assert outcome.remember == {"service": "passport", "aspect": "fee"}
    heading = locale.text("service_answer", name=service.name, aspect=locale.text("aspect_fee"))
    assert outcome.replies[0].text == f"{heading}\n{service.answer('fee')}"


def test_where_to_apply_adds_the_online_link(catalogues: Catalogues) -> None:
    url = catalogues.services.services["passport"].online_url
    text = answer_service(catalogues, "en", "passport", "where_to_apply").replies[0].text
    assert text.endswith(catalogues.locales["en"].text("service_online", url=url))


def test_the_overview_offers_every_other_aspect_of_the_same_service(catalogues: Catalogues) -> None:
    first, more = answer_service(catalogues, "sw", "national_id", "overview").replies
    service = catalogues.services.text("national_id", "sw")
    assert first.text == catalogues.locales["sw"].text(
        "service_overview", name=service.name, overview=service.answer("overview")
    )
    choices = [parse_payload(o.payload) for o in more.options]
    assert choices == [
        (intent, {"service": "national_id"})
        for intent, aspect in ASPECT_INTENTS.items()
        if aspect != "overview"
    ]


def test_without_a_known_service_the_services_are_offered_for_the_same_question(
    catalogues: Catalogues,
) -> None:
    asked = answer_service(catalogues, "en", None, "fee")
    assert asked.replies[0].text == catalogues.locales["en"].text("service_which")
    assert asked.replies[0].options == service_menu(catalogues, "en", "service_fee")
    unknown = answer_service(catalogues, "en", "spaceship", "fee", named_unknown=True)
    assert (
        unknown.replies[0].text == catalogues.locales["en"].text("service_unknown") and unknown.remember == {}
    )
    assert list_services(catalogues, "en").replies[0].options == service_menu(
        catalogues, "en", "service_overview"
    )
