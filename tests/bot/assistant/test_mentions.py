"""What a turn names: the entity, a name in the text, or what was discussed before, in that order."""

from __future__ import annotations

import pytest

from bot.assistant.mentions import Kind, Mention, mentioned, place_answer, unknown_place
from bot.catalogue.bundle import Catalogues


def test_a_known_entity_wins(catalogues: Catalogues) -> None:
    found = mentioned(catalogues, Kind.REGION, {"region": "lakes"}, "alerts for the coast", "en", "north")
    assert found == Mention("lakes")


def test_a_name_in_the_text_is_found_when_the_model_tagged_none(catalogues: Catalogues) -> None:
    assert mentioned(catalogues, Kind.SERVICE, {}, "how much is a passport", "en", "national_id") == Mention(
        "passport"
    )
    assert mentioned(catalogues, Kind.CRISIS_TOPIC, {}, "where can I get tested", "en") == Mention("testing")


def test_a_name_the_catalogue_does_not_know_never_falls_back_to_the_earlier_one(
    catalogues: Catalogues,
) -> None:
    found = mentioned(catalogues, Kind.REGION, {"region": "Atlantis"}, "alerts for Atlantis", "en", "coast")
    assert found == Mention(None, named_unknown=True, name="Atlantis")


@pytest.mark.parametrize(
    "text,language,place",
    [
        ("alerts for Paris", "en", "Paris"),
        ("any alerts in Paris?", "en", "Paris"),
        ("alertes pour Lyon", "fr", "Lyon"),
        ("alertas en Madrid, por favor", "es", "Madrid"),
        ("alertas em Lisboa", "pt", "Lisboa"),
        ("tahadhari huko Mombasa", "sw", "Mombasa"),
        ("تنبيهات في باريس", "ar", "باريس"),
        ("alerts for paris", "en", "Paris"),  # typed in lowercase
        ("alertes pour marseille ?", "fr", "Marseille"),
        ("tahadhari kwa mombasa", "sw", "Mombasa"),
    ],
)
def test_a_place_typed_without_an_entity_is_no_earlier_region(
    catalogues: Catalogues, text: str, language: str, place: str
) -> None:
    """The model tags no unknown place: the words after "for", "in"... are read for a name."""
    found = mentioned(catalogues, Kind.REGION, {}, text, language, "north")
    assert found == Mention(None, named_unknown=True, name=place)
    assert unknown_place(catalogues, text, language) == place


@pytest.mark.parametrize(
    "text,language,region",
    [
        ("alerts for floods", "en", "north"),  # a topic, not a place
        ("what alerts are in force", "en", "north"),  # no name
        ("alerts for the Coast", "en", "coast"),  # a region, capitalised
        ("alerts in Kalima City", "en", "capital"),
        ("تنبيهات في الساحل", "ar", "coast"),
        ("alerts for bandari", "en", "coast"),  # a region's town, in lowercase
        ("tahadhari za mkoa wa kaskazini", "sw", "north"),
        ("alertes pour la region cotiere", "fr", "coast"),  # without accents
        ("alerts for today", "en", "north"),  # lowercase words that are no place
        ("alerts for me", "en", "north"),
        ("alertes en vigueur", "fr", "north"),
    ],
)
def test_words_after_a_place_marker_that_are_no_name_keep_the_usual_reading(
    catalogues: Catalogues, text: str, language: str, region: str
) -> None:
    assert mentioned(catalogues, Kind.REGION, {}, text, language, "north") == Mention(region)


def test_the_earlier_value_is_used_only_when_nothing_was_named(catalogues: Catalogues) -> None:
    assert mentioned(catalogues, Kind.SERVICE, {}, "how much is it?", "en", "passport") == Mention("passport")
    assert mentioned(catalogues, Kind.SERVICE, {}, "", "en", "passport") == Mention("passport")
    assert mentioned(catalogues, Kind.SERVICE, {}, "how much is it?", "en", "spaceship") == Mention(None)
    assert mentioned(catalogues, Kind.SERVICE, {}, "how much is it?", "en") == Mention(None)


@pytest.mark.parametrize(
    "text,place",
    [
        ("paris", "Paris"),
        ("Paris", "Paris"),
        ("I live in london", "London"),
        ("bandari", ""),
        ("no", ""),
        ("", ""),
    ],
)
def test_an_answer_to_which_region_names_a_place_in_any_case(
    catalogues: Catalogues, text: str, place: str
) -> None:
    assert place_answer(catalogues, text, "en") == place
