"""Rendering the citizen chat page in the citizen's language."""

from __future__ import annotations

import html
import json
from pathlib import Path
from string import Template

from bot.catalogue.bundle import Catalogues

TEMPLATE_PATH = Path(__file__).parent / "templates" / "chat.html"
#: After this long without a reply the page says so (the assistant answers every message, in about a
#: second even when busy; silence means a part is restarting).
NO_ANSWER_AFTER_MS = 15_000


def render_page(catalogues: Catalogues, language: str, socket_url: str) -> str:
    """The chat page HTML; texts for every language travel along so switching needs no reload."""
    lang = catalogues.languages.get(language)
    page = catalogues.locales[language].page
    config = {
        "socketUrl": socket_url,
        "noAnswerAfterMs": NO_ANSWER_AFTER_MS,
        "language": language,
        "languages": {
            code: {
                "direction": catalogues.languages.get(code).direction,
                "name": catalogues.languages.get(code).name,
                "page": catalogues.locales[code].page,
            }
            for code in catalogues.languages.codes
        },
    }
    values = {key: html.escape(value) for key, value in page.items()}
    return Template(TEMPLATE_PATH.read_text(encoding="utf-8")).substitute(
        values,
        lang=lang.code,
        dir=lang.direction,
        language_options=language_options(catalogues, language),
        config_json=script_json(config),
    )


def language_options(catalogues: Catalogues, language: str) -> str:
    """The ``<option>`` list of a page's language choice, each named in its own language."""
    return "\n".join(
        f'<option value="{option.code}" lang="{option.code}" dir="{option.direction}"'
        f"{' selected' if option.code == language else ''}>{html.escape(option.name)}</option>"
        for option in catalogues.languages.languages
    )


def script_json(config: object) -> str:
    """JSON for a ``<script type="application/json">`` block: "<" escaped so no text can close the tag."""
    return json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
