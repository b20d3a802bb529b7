"""The GeoReport service list and definitions: one service per concern category."""

from __future__ import annotations

from bot.catalogue.bundle import Catalogues
from bot.catalogue.concern_routing import CATEGORIES, TRIAGE
from bot.open311.services import CONSENT, NO, REGION, YES, service_definition, service_list


def test_one_service_per_category_named_in_the_language_searchable_in_all(catalogues: Catalogues) -> None:
    services = service_list(catalogues, "fr")
    assert [s["service_code"] for s in services] == list(CATEGORIES)
    health = next(s for s in services if s["service_code"] == "health")
    assert health["service_name"] == catalogues.locales["fr"].concern_category_names["health"]
    for locale in catalogues.locales.locales.values():
        assert locale.concern_category_names["health"] in health["keywords"]
    assert (health["metadata"], health["type"]) == (True, "realtime")
    ministry = catalogues.concern_routing.ministry_for("health", "")
    assert health["group"] == catalogues.locales["fr"].ministry_names[ministry]


def test_a_category_no_rule_routes_has_no_group(catalogues: Catalogues) -> None:
    groups = {s["service_code"]: s["group"] for s in service_list(catalogues, "en")}
    routed_nowhere = [c for c in CATEGORIES if catalogues.concern_routing.ministry_for(c, "") == TRIAGE]
    assert all(groups[c] == "" for c in routed_nowhere)
    assert all(groups[c] for c in CATEGORIES if c not in routed_nowhere)


def test_the_definition_offers_the_regions_and_consent(catalogues: Catalogues) -> None:
    definition = service_definition(catalogues, "sw", "health")
    region, consent = definition["attributes"]
    assert (region["code"], consent["code"]) == (REGION, CONSENT)
    assert not region["required"] and not consent["required"]
    assert region["values"] == [
        {"key": r, "name": catalogues.regions.name(r, "sw")} for r in catalogues.regions.ids
    ]
    assert [v["key"] for v in consent["values"]] == [YES, NO]
    assert consent["values"][0]["name"] == catalogues.locales["sw"].text("answer_yes")
