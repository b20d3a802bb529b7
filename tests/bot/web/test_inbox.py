"""The inbox page renders in every language and direction, with every reason code to end with."""

from __future__ import annotations

from bot.catalogue.bundle import Catalogues
from bot.handoff.model import EndReason
from bot.web.inbox import render_inbox


def test_the_inbox_renders_in_every_language_with_its_reason_codes(catalogues: Catalogues) -> None:
    for language in catalogues.languages.languages:
        page = render_inbox(catalogues, language.code)
        assert f'<html lang="{language.code}" dir="{language.direction}">' in page
        assert catalogues.locales[language.code].inbox["heading"] in page
        for reason in EndReason:
            assert f'<option value="{reason.value}">' in page
        assert 'aria-live="assertive"' in page and 'id="sign-in-form"' in page
        assert "$" not in page.split('<script type="application/json"')[0]  # every placeholder filled
    assert 'dir="rtl"' in render_inbox(catalogues, "ar")
