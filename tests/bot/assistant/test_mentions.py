"""What a turn names: the entity, a name in the text, or what was discussed before, in that order."""

from __future__ import annotations

from bot.assistant.mentions import Kind, Mention, mentioned
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
    assert found == Mention(None, named_unknown=True)


def test_the_earlier_value_is_used_only_when_nothing_was_named(catalogues: Catalogues) -> None:
    assert mentioned(catalogues, Kind.SERVICE, {}, "how much is it?", "en", "passport") == Mention("passport")
    assert mentioned(catalogues, Kind.SERVICE, {}, "", "en", "passport") == Mention("passport")
    assert mentioned(catalogues, Kind.SERVICE, {}, "how much is it?", "en", "spaceship") == Mention(None)
    assert mentioned(catalogues, Kind.SERVICE, {}, "how much is it?", "en") == Mention(None)
