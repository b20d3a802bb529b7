"""The dashboard page renders in every language, with its direction and every filter choice."""

from __future__ import annotations

from bot.catalogue.bundle import Catalogues
from bot.catalogue.concern_routing import CATEGORIES
from bot.web.dashboard import render_dashboard


def test_dashboard_renders_in_every_language_with_its_filters(catalogues: Catalogues) -> None:
    for language in catalogues.languages.languages:
        page = render_dashboard(catalogues, language.code)
        assert f'<html lang="{language.code}" dir="{language.direction}">' in page
        assert catalogues.locales[language.code].dashboard["heading"] in page
        for category in CATEGORIES:
            assert f'<option value="{category}">' in page
        assert '<option value="triage">' in page  # analysts can find what no rule routed
        assert "$" not in page.split('<script type="application/json"')[0]  # every placeholder filled
