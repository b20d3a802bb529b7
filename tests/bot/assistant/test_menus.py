"""The choices the assistant offers, each a payload that asks for what it says."""

from __future__ import annotations

from bot.assistant.menus import crisis_menu, language_menu, main_menu, region_menu, service_menu
from bot.assistant.replies import parse_payload
from bot.catalogue.bundle import Catalogues


def test_the_main_menu_is_in_the_language_and_offers_each_feature(catalogues: Catalogues) -> None:
    menu = main_menu(catalogues, "fr")
    assert menu[0].title == catalogues.locales["fr"].text("menu_services")
    intents = [parse_payload(o.payload)[0] for o in menu]  # type: ignore[index]
    assert {"list_services", "ask_alerts", "subscribe_alerts", "report_concern"} <= set(intents)


def test_languages_are_named_in_themselves(catalogues: Catalogues) -> None:
    menu = language_menu(catalogues)
    assert [o.title for o in menu] == [lang.name for lang in catalogues.languages.languages]
    assert parse_payload(menu[3].payload) == ("switch_language", {"language": catalogues.languages.codes[3]})


def test_catalogue_menus_cover_every_entry_in_the_language(catalogues: Catalogues) -> None:
    services = service_menu(catalogues, "sw", "service_fee")
    assert [parse_payload(o.payload) for o in services] == [
        ("service_fee", {"service": s}) for s in catalogues.services.ids
    ]
    assert services[0].title == catalogues.services.text(catalogues.services.ids[0], "sw").name
    regions = region_menu(catalogues, "ar")
    assert [o.title for o in regions] == [catalogues.regions.name(r, "ar") for r in catalogues.regions.ids]
    crisis = crisis_menu(catalogues, "es")
    menu_topics = [t.topic_id for t in catalogues.crisis.menu_topics("es")]
    assert [parse_payload(o.payload)[1]["crisis_topic"] for o in crisis] == menu_topics  # type: ignore[index]
    assert crisis[0].title == catalogues.crisis.topic(menu_topics[0], "es").title
