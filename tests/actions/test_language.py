"""Explicit language changes."""

from __future__ import annotations

from actions.language import ActionSwitchLanguage
from bot.catalogue.bundle import Catalogues
from tests.actions.conftest import make_tracker, run_action, slot_events


def test_explicit_switch_answers_in_the_new_language(catalogues: Catalogues) -> None:
    tracker = make_tracker("Kiswahili tafadhali", "switch_language", {"language": "sw"}, {"language": "en"})
    messages, events = run_action(ActionSwitchLanguage(), tracker)
    assert messages[0]["text"] == catalogues.locales["sw"].text("language_changed")
    assert slot_events(events)["language"] == "sw"


def test_switch_without_a_known_language_offers_the_menu(catalogues: Catalogues) -> None:
    tracker = make_tracker("can you speak german please", "switch_language", slots={"language": "en"})
    messages, _ = run_action(ActionSwitchLanguage(), tracker)
    assert messages[0]["text"] == catalogues.locales["en"].text("language_unsupported")
    assert [b["title"] for b in messages[0]["buttons"]] == [
        lang.name for lang in catalogues.languages.languages
    ]
