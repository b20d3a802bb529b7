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


def test_the_handoff_section_has_its_tables_headers_and_desk_names(catalogues: Catalogues) -> None:
    import html
    import json

    desks = {"health_line": "health", "water_desk": "water", "water_night": "water"}
    for language in catalogues.languages.codes:
        texts = catalogues.locales[language].dashboard
        page = render_dashboard(catalogues, language, desks)
        assert 'id="handoff-section"' in page and html.escape(texts["handoff_heading"]) in page
        for table in ("handoffs-desk", "handoffs-language", "handoffs-channel", "handoff-ratings"):
            assert f'id="{table}"' in page
        for column in ("handoffs", "wait_median", "wait_p90", "abandoned", "ratings", "distress"):
            assert f'<th scope="col">{html.escape(texts["column_" + column])}</th>' in page
        config = json.loads(page.split('id="dashboard-config">')[1].split("</script>")[0])
        health = catalogues.locales[language].ministry_names["health"]
        water = catalogues.locales[language].ministry_names["water"]
        # one ministry with two desks: each named with its id as well
        assert config["desks"] == {
            "health_line": health,
            "water_desk": f"{water} (water_desk)",
            "water_night": f"{water} (water_night)",
        }
