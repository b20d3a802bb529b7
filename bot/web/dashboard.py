"""Rendering the analyst dashboard page in the chosen language.

The filters are a server-rendered form (choices from the catalogues), so they read well with a screen
reader before any script runs; ``dashboard.js`` signs in with an API key and draws the charts, rising
terms, table and export from ``/api/v1/concerns``. Every chart has its numbers as a table too. A
ministry key that writes also answers its concerns here: a new status and a note for the citizen.
"""

from __future__ import annotations

import html

from bot.auth.roles import PERMISSIONS, Permission, Role
from bot.catalogue.bundle import Catalogues
from bot.catalogue.concern_routing import CATEGORIES, TRIAGE
from bot.concerns.model import STATUS_TRANSITIONS, ConcernStatus
from bot.web.staff import SIGN_IN_TEXTS, render_staff_page


def _options(pairs: list[tuple[str, str]], any_label: str) -> str:
    options = [f'<option value="">{html.escape(any_label)}</option>']
    options += [f'<option value="{html.escape(v)}">{html.escape(label)}</option>' for v, label in pairs]
    return "\n".join(options)


def render_dashboard(catalogues: Catalogues, language: str) -> str:
    """The dashboard page HTML in ``language``."""
    locale = catalogues.locales[language]
    texts = {**{k: locale.console[k] for k in SIGN_IN_TEXTS}, **locale.dashboard}
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
        # what a ministry key may answer: the roles that write, and the statuses each status may go to
        "writerRoles": sorted(r.value for r in Role if Permission.WRITE in PERMISSIONS[r]),
        "transitions": {
            s.value: [t.value for t in ConcernStatus if t in STATUS_TRANSITIONS[s]] for s in ConcernStatus
        },
    }
    values = {
        "ministry_options": _options(list(ministries.items()), texts["any"]),
        "category_options": _options(list(categories.items()), texts["any"]),
        "region_options": _options(list(regions.items()), texts["any"]),
        "status_options": _options(list(statuses.items()), texts["any"]),
        "report_language_options": _options(list(languages.items()), texts["any"]),
    }
    return render_staff_page(catalogues, language, "dashboard", texts, values, config)
