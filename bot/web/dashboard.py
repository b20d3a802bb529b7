"""Rendering the analyst dashboard page in the chosen language.

The filters are a server-rendered form (choices from the catalogues), so they read well with a screen
reader before any script runs; ``dashboard.js`` signs in with an API key and draws the charts, rising
terms, table and export from ``/api/v1/concerns``. Every chart has its numbers as a table too. A
ministry key that writes also answers its concerns here: a new status and a note for the citizen.
Analysts also read the conversation insights and the handoffs to a person (``/api/v1/insights``).
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from bot.auth.roles import PERMISSIONS, Permission, Role
from bot.catalogue.bundle import Catalogues
from bot.catalogue.concern_routing import CATEGORIES, TRIAGE
from bot.concerns.model import STATUS_TRANSITIONS, ConcernStatus
from bot.web.staff import SIGN_IN_TEXTS, render_staff_page


def _options(pairs: list[tuple[str, str]], any_label: str) -> str:
    options = [f'<option value="">{html.escape(any_label)}</option>']
    options += [f'<option value="{html.escape(v)}">{html.escape(label)}</option>' for v, label in pairs]
    return "\n".join(options)


#: The figures each handoff table shows for a desk, language or channel (texts ``column_<name>``).
HANDOFF_COLUMNS = (
    "handoffs",
    "wait_median",
    "wait_p90",
    "handling_median",
    "abandoned",
    "ratings",
    "asked",
    "not_understood",
    "distress",
)


def _desk_names(desk_ministries: Mapping[str, str], ministries: Mapping[str, str]) -> dict[str, str]:
    """Each desk by its ministry's name in the page's language, with the desk's id where one ministry
    has several desks."""
    names = {desk: ministries.get(ministry, desk) for desk, ministry in desk_ministries.items()}
    shared = {name for name in names.values() if list(names.values()).count(name) > 1}
    return {desk: f"{name} ({desk})" if name in shared else name for desk, name in names.items()}


def render_dashboard(
    catalogues: Catalogues, language: str, desk_ministries: Mapping[str, str] | None = None
) -> str:
    """The dashboard page HTML in ``language``; ``desk_ministries`` (desk id -> ministry id) names the
    desks of the handoff figures."""
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
        "desks": _desk_names(desk_ministries or {}, ministries),
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
        "handoff_columns": "".join(
            f'<th scope="col">{html.escape(texts["column_" + name])}</th>' for name in HANDOFF_COLUMNS
        ),
    }
    return render_staff_page(catalogues, language, "dashboard", texts, values, config)
