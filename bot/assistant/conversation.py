"""Small talk around the real work: greeting, help, thanks, goodbye, fallback, a person to talk to."""

from __future__ import annotations

from bot.assistant.menus import language_menu, main_menu
from bot.assistant.replies import Outcome, Reply
from bot.catalogue.bundle import Catalogues

#: Intents answered by one locale message; those marked True also offer the main menu.
SIMPLE_REPLIES = {
    "greet": ("greeting", True),
    "help": ("help", True),
    "goodbye": ("goodbye", False),
    "thank": ("thanks_reply", False),
    "affirm": ("acknowledge", False),
    "deny": ("deny_reply", False),
    "human_handoff": ("human_handoff", False),
    "out_of_scope": ("out_of_scope", True),
}


def simple_reply(catalogues: Catalogues, language: str, intent: str) -> Outcome:
    """The fixed reply to one of :data:`SIMPLE_REPLIES`."""
    key, with_menu = SIMPLE_REPLIES[intent]
    options = main_menu(catalogues, language) if with_menu else ()
    unanswered = "out_of_scope" if intent == "out_of_scope" else ""
    return Outcome((Reply(catalogues.locales[language].text(key), options),), unanswered=unanswered)


def fallback(catalogues: Catalogues, language: str) -> Outcome:
    """Ask to rephrase and offer what the assistant can do, instead of guessing."""
    text = catalogues.locales[language].text("fallback")
    return Outcome((Reply(text, main_menu(catalogues, language)),), unanswered="not_understood")


def language_changed(catalogues: Catalogues, language: str) -> Outcome:
    """Confirm a language change, in the new language."""
    locale = catalogues.locales[language]
    reply = Reply(locale.text("language_changed"), main_menu(catalogues, language))
    return Outcome((reply,), {"language": language})


def choose_language(catalogues: Catalogues, language: str, unsupported: bool) -> Outcome:
    """Offer the language menu (after saying the requested one is not spoken, if so)."""
    key = "language_unsupported" if unsupported else "language_menu"
    return Outcome((Reply(catalogues.locales[language].text(key), language_menu(catalogues)),))
