"""Shelters in the chat: the open ones of the region, or none open and what to do."""

from __future__ import annotations

import pytest

from bot.assistant.shelters import answer_shelters, is_shelter_question, open_shelter_names
from bot.catalogue.bundle import Catalogues


def test_the_open_shelters_of_the_region_with_room_and_access(catalogues: Catalogues) -> None:
    locale = catalogues.locales["fr"]
    outcome = answer_shelters(catalogues, "fr", "coast")
    lines = outcome.replies[0].text.split("\n")
    assert lines[0] == locale.text("shelters_open", region=catalogues.regions.name("coast", "fr"))
    assert lines[1].startswith("- École primaire de Bandari, Route du Port") and "400" in lines[1]
    assert lines[1].endswith(locale.text("shelters_accessible"))
    assert lines[2].endswith(locale.text("shelters_not_accessible"))
    assert "Salle communautaire de Bandari" not in outcome.replies[0].text  # full
    assert lines[-1] == locale.text("shelters_bring")
    assert outcome.remember == {"region": "coast"}


def test_none_open_says_so_and_what_to_do(catalogues: Catalogues) -> None:
    outcome = answer_shelters(catalogues, "sw", "south")
    region = catalogues.regions.name("south", "sw")
    assert outcome.replies[0].text == catalogues.locales["sw"].text("shelters_none", region=region)


def test_without_a_region_it_asks_which_one(catalogues: Catalogues) -> None:
    reply = answer_shelters(catalogues, "en", None).replies[0]
    assert reply.text == catalogues.locales["en"].text("shelters_which_region")
    assert reply.options[1].payload == '/ask_crisis{"crisis_topic":"shelters","region":"coast"}'
    named_unknown = answer_shelters(catalogues, "en", None, named_unknown=True).replies[0]
    assert named_unknown.text == catalogues.locales["en"].text("alerts_unknown_region")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Is there a shelter in Bandari?", True),
        ("Kuna makazi Bandari?", True),
        ("where is the nearest shelter", True),  # no region, but the shelter question of the guide
        ("looking for my sister, she was in the shelter", False),  # a missing person
        ("are shelters accessible", False),  # disability
        ("alerts for Bandari", False),
    ],
)
def test_a_shelter_question(catalogues: Catalogues, text: str, expected: bool) -> None:
    assert is_shelter_question(catalogues, text) is expected


def test_the_names_of_the_open_shelters_of_several_regions(catalogues: Catalogues) -> None:
    names = open_shelter_names(catalogues, "en", ("coast", "lakes", "south"))
    assert names == (
        "Bandari Primary School (Harbour Road, next to the fish market), "
        "Pwani Secondary School (Pwani village, on the road to Bandari), Ziwani Stadium (Lake Road, Ziwani)"
    )
