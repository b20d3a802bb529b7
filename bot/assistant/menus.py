"""The choices the assistant offers: main menu, languages, services, regions, crisis topics."""

from __future__ import annotations

from bot.assistant.replies import Option, intent_payload
from bot.catalogue.bundle import Catalogues


def main_menu(catalogues: Catalogues, language: str) -> tuple[Option, ...]:
    """What the assistant can do, as choices."""
    locale = catalogues.locales[language]
    return (
        Option(locale.text("menu_services"), intent_payload("list_services")),
        Option(locale.text("menu_crisis"), intent_payload("ask_crisis")),
        Option(locale.text("menu_alerts"), intent_payload("ask_alerts")),
        Option(locale.text("menu_person"), intent_payload("human_handoff")),
        Option(locale.text("menu_language"), intent_payload("switch_language")),
        Option(locale.text("menu_subscribe"), intent_payload("subscribe_alerts")),
        Option(locale.text("menu_concern"), intent_payload("report_concern")),
    )


#: Typed on a channel without buttons, this goes back to the main menu (offered under every reply there).
MAIN_MENU_KEY = "0"
#: What the main menu option sends: the help text with the main menu.
MAIN_MENU_PAYLOAD = intent_payload("help")


def home_option(catalogues: Catalogues, language: str) -> Option:
    """Back to the main menu (a button; channels without buttons type :data:`MAIN_MENU_KEY` instead)."""
    return Option(catalogues.locales[language].text("menu_main"), MAIN_MENU_PAYLOAD)


def is_main_menu(catalogues: Catalogues, language: str, options: tuple[Option, ...]) -> bool:
    """These options are the main menu itself (no way home to offer under it)."""
    return bool(options) and {o.payload for o in main_menu(catalogues, language)} <= {
        o.payload for o in options
    }


def language_menu(catalogues: Catalogues) -> tuple[Option, ...]:
    """Every supported language, each named in itself so anyone finds theirs."""
    return tuple(
        Option(language.name, intent_payload("switch_language", language=language.code))
        for language in catalogues.languages.languages
    )


def service_menu(catalogues: Catalogues, language: str, intent: str) -> tuple[Option, ...]:
    """Every service; choosing one asks ``intent`` about it."""
    return tuple(
        Option(
            catalogues.services.text(service_id, language).name, intent_payload(intent, service=service_id)
        )
        for service_id in catalogues.services.ids
    )


def region_menu(catalogues: Catalogues, language: str) -> tuple[Option, ...]:
    """Every region; choosing one asks for its active alerts."""
    return tuple(
        Option(catalogues.regions.name(region_id, language), intent_payload("ask_alerts", region=region_id))
        for region_id in catalogues.regions.ids
    )


def crisis_menu(catalogues: Catalogues, language: str) -> tuple[Option, ...]:
    """The crisis topics the menu offers (the knowledge base holds more, found by asking)."""
    return tuple(
        Option(topic.title, intent_payload("ask_crisis", crisis_topic=topic.topic_id))
        for topic in catalogues.crisis.menu_topics(language)
    )
