"""Answers about services: one aspect, or an overview with the other aspects to choose from."""

from __future__ import annotations

import pytest

from bot.assistant.menus import service_menu
from bot.assistant.replies import parse_payload
from bot.assistant.services import (
    ASPECT_INTENTS,
    WAITING_FOR_SERVICE,
    answer_service,
    answer_service_choice,
    aspect_in_text,
    list_services,
)
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
    assert unknown.replies[0].text == catalogues.locales["en"].text("service_unknown")
    # The question is remembered with the aspect asked, so that a typed answer is read for both.
    assert asked.remember == {"pending": {"kind": WAITING_FOR_SERVICE, "aspect": "fee", "again": False}}
    assert list_services(catalogues, "en").replies[0].options == service_menu(
        catalogues, "en", "service_overview"
    )


@pytest.mark.parametrize(
    "text,aspect",
    [
        ("how much is the fee for a passport", "fee"),
        ("nataka kujua ada ya leseni", "fee"),
        ("quels documents faut-il apporter", "documents"),
        ("¿cuánto tiempo tarda?", "processing_time"),
        ("onde posso pedir no balcão", "where_to_apply"),
        ("ما هي الرسوم", "fee"),
        ("for my driving licence please", None),
    ],
)
def test_the_aspect_asked_is_read_from_its_cue_words_in_any_language(
    catalogues: Catalogues, text: str, aspect: str | None
) -> None:
    assert aspect_in_text(catalogues, text) == aspect


def test_a_sentence_answering_which_service_gets_the_aspect_asked_before(catalogues: Catalogues) -> None:
    pending = answer_service(catalogues, "en", None, "fee").remember["pending"]
    answered = answer_service_choice(catalogues, "en", pending, "driving_licence", "for my driving licence")
    fee = catalogues.locales["en"].text("aspect_fee")
    assert fee in answered.replies[0].text and "Driving licence" in answered.replies[0].text
    assert answered.remember == {"service": "driving_licence", "aspect": "fee"}
    # Its own cue words win over the aspect asked before.
    documents = answer_service_choice(catalogues, "en", pending, "passport", "which documents for a passport")
    assert documents.remember["aspect"] == "documents"


def test_an_answer_naming_no_service_gets_the_list_once_more_then_the_main_menu(
    catalogues: Catalogues,
) -> None:
    locale = catalogues.locales["en"]
    pending = list_services(catalogues, "en").remember["pending"]
    again = answer_service_choice(catalogues, "en", pending, None, "hmm I do not know")
    assert again.replies[0].text == locale.text("service_not_found")
    assert again.replies[0].options == service_menu(catalogues, "en", "service_overview")
    moved_on = answer_service_choice(catalogues, "en", again.remember["pending"], None, "still no idea")
    assert moved_on.replies[0].text == locale.text("fallback") and "pending" not in moved_on.remember
