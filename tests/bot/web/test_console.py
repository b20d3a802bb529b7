"""The ministry console renders in every language with every choice, before any script runs."""

from __future__ import annotations

import json
import re

from bot.alerts.model import SEVERITIES
from bot.catalogue.bundle import Catalogues
from bot.web.console import DEFAULT_HOURS, render_console


def test_the_console_renders_in_every_language_with_its_choices(catalogues: Catalogues) -> None:
    for language in catalogues.languages.languages:
        page = render_console(catalogues, language.code)
        assert f'<html lang="{language.code}" dir="{language.direction}">' in page
        assert "$" not in page.split('<script id="console-config"')[0]  # every placeholder filled
        assert '<option value="Severe" selected>' in page
        for severity in SEVERITIES:
            assert f'<option value="{severity}"' in page
        for region in catalogues.regions.ids:
            assert f'id="region-{region}" name="region" value="{region}"' in page
        for topic in catalogues.alert_topics.ids:
            assert f'name="topic" value="{topic}"' in page


def test_one_text_block_per_language_only_the_first_required(catalogues: Catalogues) -> None:
    page = render_console(catalogues, "fr")
    blocks = re.findall(r'<fieldset class="language-text" data-language="(\w+)">', page)
    assert blocks == list(catalogues.languages.codes)
    first, second = catalogues.languages.codes[:2]
    assert re.search(rf'id="headline-{first}"[^>]*\n?[^>]*required', page)
    assert not re.search(rf'id="headline-{second}"[^>]*\n?[^>]*required', page)
    assert 'dir="rtl"' in page.split('data-language="ar"')[1].split("</fieldset>")[0]


def test_the_script_gets_the_texts_and_names_of_the_language(catalogues: Catalogues) -> None:
    page = render_console(catalogues, "sw")
    block = re.search(r'<script id="console-config" type="application/json">(.*?)</script>', page, re.DOTALL)
    assert block is not None
    config = json.loads(block.group(1))
    assert config["language"] == "sw"
    assert config["regions"]["coast"] == catalogues.regions.name("coast", "sw")
    assert config["severities"]["Severe"] == catalogues.locales["sw"].text("severity_severe")
    assert config["directions"]["ar"] == "rtl"
    assert f'value="{DEFAULT_HOURS}"' in page


def test_every_required_field_names_the_place_of_its_written_error(catalogues: Catalogues) -> None:
    page = render_console(catalogues, "en")
    fields = re.findall(r'<(?:input|textarea) id="([\w-]+)"[^>]*?\brequired\b', page, re.DOTALL)
    assert "headline-en" in fields and "description-en" in fields and "hours" in fields
    errors = {field: f"{field}-error" for field in fields} | {"api-key": "key-error"}
    for field, error in errors.items():
        tag = re.search(rf'id="{field}"[^>]*>', page, re.DOTALL)
        assert tag is not None and error in tag.group(0), field  # read with the field
        assert f'<p class="field-error" id="{error}"' in page, field
    assert 'id="compose-error" class="field-error" role="alert"' in page
    assert 'id="save-draft"' in page  # drafts can be kept, then submitted from their review
