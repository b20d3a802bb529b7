"""What the ministry console and the analyst dashboard share: the top of the page (heading, language
choice, announcements, key sign-in) and how a page is put together. ``static/staff.js`` is the
script side: signing in and out and calling the API with the key.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path
from string import Template

from bot.catalogue.bundle import Catalogues
from bot.web.page import language_options, script_json

TEMPLATES = Path(__file__).parent / "templates"
#: Console texts every staff page uses (the dashboard borrows them).
SIGN_IN_TEXTS = (
    "skip_to_main",
    "language_label",
    "sign_in_heading",
    "key_label",
    "key_hint",
    "sign_in",
    "sign_out",
    "signed_in_as",
    "key_invalid",
    "field_required",
    "role_author",
    "role_approver",
    "role_admin",
    "role_analyst",
    "role_reporter",
    "role_agent",
)


def render_staff_page(
    catalogues: Catalogues,
    language: str,
    page: str,
    texts: Mapping[str, str],
    values: Mapping[str, str],
    config: object,
) -> str:
    """``templates/<page>.html`` in ``language``: its ``$staff_top`` is the shared top, ``$…`` names
    are ``texts`` (escaped here) or ``values`` (HTML already), ``$config_json`` the page's settings."""
    lang = catalogues.languages.get(language)
    escaped = {key: html.escape(value) for key, value in texts.items()}
    top = Template((TEMPLATES / "staff_top.html").read_text(encoding="utf-8")).substitute(
        escaped, page_path=f"/{page}", language_options=language_options(catalogues, language)
    )
    return Template((TEMPLATES / f"{page}.html").read_text(encoding="utf-8")).substitute(
        escaped,
        **values,
        staff_top=top,
        lang=lang.code,
        dir=lang.direction,
        config_json=script_json(config),
    )
