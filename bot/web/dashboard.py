"""Rendering the analyst dashboard page in the chosen language.

The filters are a server-rendered form (choices from the catalogues), so they read well with a screen
reader before any script runs; ``dashboard.js`` signs in with an API key and draws the charts, rising
terms, table and export from ``/api/v1/concerns``. Every chart has its numbers as a table too.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from string import Template

from bot.catalogue.bundle import Catalogues
from bot.concerns.model import CATEGORIES, TRIAGE, ConcernStatus

TEMPLATE_PATH = Path(__file__).parent / "templates" / "dashboard.html"
#: Console texts the dashboard shares (sign-in, roles, language choice).
SHARED_CONSOLE_TEXTS = (
    "skip_to_main",
    "language_label",
    "sign_in_heading",
    "key_label",
    "key_hint",
    "sign_in",
    "sign_out",
    "signed_in_as",
    "key_invalid",
    "role_author",
    "role_approver",
    "role_admin",
    "role_analyst",
    "role_reporter",
)


def _options(pairs: list[tuple[str, str]], any_label: str) -> str:
    options = [f'<option value="">{html.escape(any_label)}</option>']
    options += [f'<option value="{html.escape(v)}">{html.escape(label)}</option>' for v, label in pairs]
    return "\n".join(options)


def render_dashboard(catalogues: Catalogues, language: str) -> str:
    """The dashboard page HTML in ``language``."""
    lang = catalogues.languages.get(language)
    locale = catalogues.locales[language]
    texts = {**{k: locale.console[k] for k in SHARED_CONSOLE_TEXTS}, **locale.dashboard}
    categories = {c: locale.concern_category_names[c] for c in CATEGORIES}
    regions = {r: catalogues.regions.name(r, language) for r in catalogues.regions.ids}
    statuses = {s.value: locale.text(f"concern_status_{s.value}") for s in ConcernStatus}
    ministries = {**dict(locale.ministry_names), TRIAGE: texts["triage"]}
    languages = {code: locale.language_names[code] for code in catalogues.languages.codes}
    config = {
        "language": language,
        "texts": texts,
        "categories": categories,
        "regions": {**regions, "unknown": texts["region_unknown"]},
        "statuses": statuses,
        "ministries": ministries,
        "languageNames": languages,
    }
    config_json = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
    language_options = "\n".join(
        f'<option value="{option.code}" lang="{option.code}" dir="{option.direction}"'
        f"{' selected' if option.code == language else ''}>{html.escape(option.name)}</option>"
        for option in catalogues.languages.languages
    )
    return Template(TEMPLATE_PATH.read_text(encoding="utf-8")).substitute(
        {key: html.escape(value) for key, value in texts.items()},
        lang=lang.code,
        dir=lang.direction,
        language_options=language_options,
        ministry_options=_options(list(ministries.items()), texts["any"]),
        category_options=_options(list(categories.items()), texts["any"]),
        region_options=_options(list(regions.items()), texts["any"]),
        status_options=_options(list(statuses.items()), texts["any"]),
        report_language_options=_options(list(languages.items()), texts["any"]),
        config_json=config_json,
    )
