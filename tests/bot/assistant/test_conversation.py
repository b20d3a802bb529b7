"""Small talk around the real work."""

from __future__ import annotations

import pytest

from bot.assistant.conversation import (
    SIMPLE_REPLIES,
    choose_language,
    fallback,
    language_changed,
    simple_reply,
)
from bot.assistant.menus import language_menu, main_menu
from bot.catalogue.bundle import Catalogues


@pytest.mark.parametrize("intent", sorted(SIMPLE_REPLIES))
def test_each_simple_intent_has_its_reply_in_every_language(catalogues: Catalogues, intent: str) -> None:
    key, with_menu = SIMPLE_REPLIES[intent]
    for code in catalogues.languages.codes:
        [reply] = simple_reply(catalogues, code, intent).replies
        assert reply.text == catalogues.locales[code].text(key)
        assert reply.options == (main_menu(catalogues, code) if with_menu else ())


def test_fallback_offers_what_the_assistant_can_do(catalogues: Catalogues) -> None:
    [reply] = fallback(catalogues, "es").replies
    assert reply.text == catalogues.locales["es"].text("fallback") and reply.options == main_menu(
        catalogues, "es"
    )


def test_a_language_change_is_confirmed_in_the_new_language_and_remembered(catalogues: Catalogues) -> None:
    outcome = language_changed(catalogues, "sw")
    assert outcome.replies[0].text == catalogues.locales["sw"].text("language_changed")
    assert outcome.remember == {"language": "sw"}


def test_the_language_menu_says_when_the_requested_language_is_not_spoken(catalogues: Catalogues) -> None:
    unsupported = choose_language(catalogues, "en", unsupported=True).replies[0]
    asked = choose_language(catalogues, "en", unsupported=False).replies[0]
    assert unsupported.text == catalogues.locales["en"].text("language_unsupported")
    assert asked.text == catalogues.locales["en"].text("language_menu")
    assert unsupported.options == asked.options == language_menu(catalogues)
