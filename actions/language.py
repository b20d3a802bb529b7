"""Explicit language changes ("in French please", "Kiswahili tafadhali", the language menu)."""

from __future__ import annotations

from actions.base import BarazaAction
from actions.turn import Turn
from bot.assistant.conversation import choose_language, language_changed
from bot.assistant.replies import Outcome
from bot.catalogue.bundle import Catalogues
from bot.phrases import find_phrases, fold


def requested_language(turn: Turn, catalogues: Catalogues) -> str | None:
    """The supported language the citizen asked for, from the entity or a name in the text."""
    from_entity = catalogues.languages.normalise(turn.entities.get("language"))
    if from_entity:
        return from_entity
    spellings = {fold(name): code for name, code in catalogues.locales.language_spellings().items()}
    matches = find_phrases(fold(turn.text), spellings)
    return matches[0][2] if matches else None


class ActionSwitchLanguage(BarazaAction):
    """Switch to the requested language, or offer the language menu."""

    def name(self) -> str:
        return "action_switch_language"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        # read_turn already answers in the entity's language; a name found only in the text is
        # handled here, and the reply then speaks the new language.
        language = requested_language(turn, catalogues)
        if language:
            return language_changed(catalogues, language)
        asked_for_something = bool(turn.entities.get("language")) or len(turn.text.split()) > 2
        return choose_language(catalogues, turn.language, unsupported=asked_for_something)
