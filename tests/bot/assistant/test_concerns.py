"""Reporting a concern in the chat: reading the answers, the summary, the ticket, the status."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.assistant.concerns import (
    GUESSED,
    TOPIC_FOUND,
    WAITING_FOR_SUMMARY,
    category_options,
    filed,
    guess_category,
    read_category,
    read_yes_no,
    status_text,
    summary,
    yes_no_options,
)
from bot.assistant.questions import QUESTION_ENTITY, question_id
from bot.assistant.replies import intent_payload, parse_payload
from bot.catalogue.bundle import Catalogues
from bot.catalogue.concern_routing import CATEGORIES, TRIAGE
from bot.concerns.model import Concern, ConcernStatus

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


def _concern(ministry: str = "health", note: str = "") -> Concern:
    return Concern(
        "K7P2QX", "health", ministry, "lakes", "Ziwani", "en", "rest", "d", None, False,
        ConcernStatus.IN_PROGRESS, note, NOW, NOW,
    )  # fmt: skip


def test_the_category_comes_from_an_entity_a_button_a_number_or_a_name(catalogues: Catalogues) -> None:
    options = [o.payload for o in category_options(catalogues, "en")]
    assert [parse_payload(p)[1]["concern_category"] for p in options] == list(CATEGORIES)  # type: ignore[index]
    assert read_category("", {"concern_category": "health"}, [], catalogues) == "health"
    assert read_category(
        intent_payload("report_concern", concern_category="roads_transport"), {}, [], catalogues
    ) == ("roads_transport")
    assert read_category("2", {}, options, catalogues) == CATEGORIES[1]
    french_name = catalogues.locales["fr"].concern_category_names["health"]
    assert read_category(french_name.upper(), {}, [], catalogues) == "health"  # in any language
    assert (
        read_category("something else entirely", {"concern_category": "gossip"}, options, catalogues) is None
    )


def test_yes_and_no_come_from_the_intent_a_payload_or_a_number(catalogues: Catalogues) -> None:
    options = [o.payload for o in yes_no_options(catalogues, "en")]
    assert read_yes_no("affirm", "yes", options) is True
    assert read_yes_no("deny", "no", options) is False
    assert read_yes_no("inform", "1", options) is True and read_yes_no("inform", "2", options) is False
    assert read_yes_no("inform", "/deny", []) is False
    assert read_yes_no("greet", "hello", options) is None


def test_the_summary_shows_the_report_and_waits_for_send_change_or_cancel(catalogues: Catalogues) -> None:
    locale = catalogues.locales["en"]
    slots = {
        "concern_category": "water_sanitation",
        "concern_description": "The pump is broken.",
        "concern_region": "lakes",
        "concern_place": "Ziwani market",
        "concern_contact": "yes",
    }
    outcome = summary(catalogues, "en", slots)
    assert outcome.remember == {
        "pending": {
            "kind": WAITING_FOR_SUMMARY,
            QUESTION_ENTITY: question_id(WAITING_FOR_SUMMARY, outcome.replies[0].text),
        }
    }
    [reply] = outcome.replies
    assert reply.text == locale.text(
        "concern_summary",
        category=locale.concern_category_names["water_sanitation"],
        description="The pump is broken.",
        place=f"Ziwani market, {catalogues.regions.name('lakes', 'en')}",
        contact=locale.text("answer_yes"),
    )
    assert [parse_payload(o.payload)[0] for o in reply.options] == [  # type: ignore[index]
        "affirm", "report_concern", "report_concern", "report_concern", "deny"
    ]  # fmt: skip


def test_the_place_is_not_repeated_and_a_missing_one_is_a_dash(catalogues: Catalogues) -> None:
    locale = catalogues.locales["en"]
    region = catalogues.regions.name("lakes", "en")

    def shown(place: str, region_id: str) -> str:
        slots = {"concern_category": "health", "concern_description": "d", "concern_contact": "no"}
        text = summary(catalogues, "en", {**slots, "concern_region": region_id, "concern_place": place})
        return text.replies[0].text

    filled = {"category": locale.concern_category_names["health"], "description": "d"}
    assert shown(region.upper(), "lakes") == locale.text(
        "concern_summary", **filled, place=region, contact=locale.text("answer_no")
    )
    assert shown("", "") == locale.text(
        "concern_summary", **filled, place="–", contact=locale.text("answer_no")
    )


def test_the_place_and_region_are_joined_with_the_languages_comma(catalogues: Catalogues) -> None:
    slots = {"concern_category": "health", "concern_description": "d", "concern_contact": "no"}
    slots |= {"concern_region": "lakes", "concern_place": "سوق زيواني"}
    text = summary(catalogues, "ar", slots).replies[0].text
    assert f"سوق زيواني، {catalogues.regions.name('lakes', 'ar')}" in text
    assert "سوق زيواني," not in text


def test_the_ticket_is_given_with_the_ministry_or_as_triage(catalogues: Catalogues) -> None:
    locale = catalogues.locales["en"]
    assert filed(catalogues, "en", _concern()) == locale.text(
        "concern_filed", ticket="K7P2QX", ministry=locale.ministry_names["health"]
    )
    assert filed(catalogues, "en", _concern(ministry=TRIAGE)) == locale.text(
        "concern_filed_triage", ticket="K7P2QX"
    )


def test_the_status_carries_the_latest_public_note(catalogues: Catalogues) -> None:
    locale = catalogues.locales["en"]
    first = locale.text(
        "concern_status",
        ticket="K7P2QX",
        category=locale.concern_category_names["health"],
        status=locale.text("concern_status_in_progress"),
    )
    assert status_text(catalogues, "en", _concern()) == first
    note = locale.text("concern_status_note", ministry=locale.ministry_names["health"], note="Nurse sent.")
    assert status_text(catalogues, "en", _concern(note="Nurse sent.")) == f"{first}\n{note}"


@pytest.mark.parametrize(
    "description,category",
    [
        ("The water pipe in our street is broken and we have had no water for a week", "water_sanitation"),
        ("no hay agua en mi barrio desde hace tres días", "water_sanitation"),
        ("Il n'y a plus d'enseignant à l'école de mon fils depuis un mois", "education"),
        ("Barabara ya kwenda sokoni ina mashimo makubwa tangu mvua", "roads_transport"),
        ("O posto de saúde está sem médico há duas semanas", "health"),
        ("الشرطة لم تفعل شيئًا بعد سرقة متجري", "security"),
        ("طلب مني الموظف رشوة لإصدار الشهادة", "corruption_fraud"),
        ("My grandmother has not received her pension for three months", "social_protection"),
    ],
)
def test_the_topic_of_a_description_is_guessed_in_any_language(
    catalogues: Catalogues, description: str, category: str
) -> None:
    assert guess_category(catalogues, description) == category


def test_no_topic_is_guessed_from_a_text_without_cues_or_with_a_tie(catalogues: Catalogues) -> None:
    assert guess_category(catalogues, "Something happened yesterday that somebody should know") is None
    assert guess_category(catalogues, "the school has no water") is None  # education or water: unsure
    assert guess_category(catalogues, "") is None


def test_a_guessed_topic_is_said_in_the_summary_so_it_can_be_changed(catalogues: Catalogues) -> None:
    slots = {
        "concern_category": "water_sanitation",
        "concern_description": "No water since Monday.",
        "concern_region": "lakes",
        "concern_contact": "no",
    }
    note = catalogues.locales["sw"].text("concern_topic_inferred_note")
    assert note not in summary(catalogues, "sw", slots).replies[0].text
    guessed = summary(catalogues, "sw", {**slots, TOPIC_FOUND: GUESSED})
    assert guessed.replies[0].text.startswith(note)
    assert catalogues.locales["sw"].concern_category_names["water_sanitation"] in guessed.replies[0].text
