"""Rendering the ministry console page in the chosen language.

The form is rendered on the server (labels, choices from the catalogues), so it reads and works with
a screen reader before any script runs; ``console.js`` adds sign-in, preview, submit, approval and the
live delivery progress through the API, with the texts it needs passed in a JSON block.
"""

from __future__ import annotations

import html

from bot.alerts.model import CERTAINTIES, SEVERITIES, URGENCIES
from bot.catalogue.alert_topics import CAP_CATEGORIES
from bot.catalogue.bundle import Catalogues
from bot.web.staff import render_staff_page

#: Hours an alert stays in force unless the author changes it.
DEFAULT_HOURS = 24


def _options(pairs: list[tuple[str, str]], selected: str) -> str:
    return "\n".join(
        f'<option value="{html.escape(value)}"{" selected" if value == selected else ""}>'
        f"{html.escape(label)}</option>"
        for value, label in pairs
    )


def _checkboxes(name: str, pairs: list[tuple[str, str]]) -> str:
    return "\n".join(
        f'<div class="check"><input type="checkbox" id="{name}-{html.escape(value)}" name="{name}" '
        f'value="{html.escape(value)}"><label for="{name}-{html.escape(value)}">'
        f"{html.escape(label)}</label></div>"
        for value, label in pairs
    )


def _text_fieldsets(catalogues: Catalogues, language: str) -> str:
    texts = catalogues.locales[language].console
    blocks = []
    for index, lang in enumerate(catalogues.languages.languages):
        name = html.escape(catalogues.locales[language].language_names[lang.code])
        hint = texts["first_language_hint"] if index == 0 else texts["other_language_hint"]
        required = " required" if index == 0 else ""
        code = lang.code
        blocks.append(
            f"""<fieldset class="language-text" data-language="{code}">
  <legend>{html.escape(texts["text_legend"].format(language=name))}</legend>
  <p class="hint" id="hint-{code}">{html.escape(hint)}</p>
  <label for="headline-{code}">{html.escape(texts["headline_label"])}</label>
  <input id="headline-{code}" name="headline-{code}" maxlength="160" lang="{code}" dir="{lang.direction}"
    aria-describedby="hint-{code} headline-{code}-error"{required}>
  <p class="field-error" id="headline-{code}-error"></p>
  <label for="description-{code}">{html.escape(texts["description_label"])}</label>
  <textarea id="description-{code}" name="description-{code}" rows="3" maxlength="2000" lang="{code}"
    dir="{lang.direction}" aria-describedby="description-{code}-error"{required}></textarea>
  <p class="field-error" id="description-{code}-error"></p>
  <label for="instruction-{code}">{html.escape(texts["instruction_label"])}</label>
  <textarea id="instruction-{code}" name="instruction-{code}" rows="2" maxlength="1000" lang="{code}"
    dir="{lang.direction}"></textarea>
</fieldset>"""
        )
    return "\n".join(blocks)


def render_console(catalogues: Catalogues, language: str) -> str:
    """The console page HTML in ``language``."""
    locale = catalogues.locales[language]
    texts = locale.console
    severity_names = {s: locale.text(f"severity_{s.lower()}") for s in SEVERITIES}
    config = {
        "language": language,
        "texts": texts,
        "severities": severity_names,
        "regions": {r: catalogues.regions.name(r, language) for r in catalogues.regions.ids},
        "languages": list(catalogues.languages.codes),
        "languageNames": {code: locale.language_names[code] for code in catalogues.languages.codes},
        "directions": {lang.code: lang.direction for lang in catalogues.languages.languages},
        "ministries": dict(locale.ministry_names),
        "topics": dict(locale.alert_topic_names),
    }
    values = {
        "severity_options": _options([(s, severity_names[s]) for s in SEVERITIES], "Severe"),
        "urgency_options": _options([(u, texts[f"urgency_{u.lower()}"]) for u in URGENCIES], "Immediate"),
        "certainty_options": _options([(c, texts[f"certainty_{c.lower()}"]) for c in CERTAINTIES], "Likely"),
        "category_options": _options([(c, texts[f"category_{c.lower()}"]) for c in CAP_CATEGORIES], "Met"),
        "region_checkboxes": _checkboxes(
            "region", [(r, catalogues.regions.name(r, language)) for r in catalogues.regions.ids]
        ),
        "topic_checkboxes": _checkboxes(
            "topic", [(t, locale.alert_topic_names[t]) for t in catalogues.alert_topics.ids]
        ),
        "default_hours": str(DEFAULT_HOURS),
        "text_fieldsets": _text_fieldsets(catalogues, language),
    }
    return render_staff_page(catalogues, language, "console", texts, values, config)
