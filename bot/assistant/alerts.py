"""The alerts active in a region, in the citizen's language."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.alerts.model import Alert
from bot.assistant.menus import region_menu
from bot.assistant.replies import Outcome, Reply
from bot.catalogue.bundle import Catalogues

#: The pending question "which region?" of the active alerts; ``again``: it was already asked twice.
WAITING_FOR_ALERTS_REGION = "alerts_region"


class AlertSource(Protocol):
    """Where active alerts come from (Redis in production)."""

    def active_in_region(self, region_id: str, now: datetime) -> list[Alert]: ...


def active_alerts(
    catalogues: Catalogues,
    language: str,
    region_id: str | None,
    alerts: AlertSource,
    now: datetime,
    named_unknown: bool = False,
    unknown_name: str = "",
    again: bool = False,
) -> Outcome:
    """List the alerts in force in a region; ask for the region when it is not known (saying so when
    the citizen named one: ``unknown_name``, what they called it; ``again`` when their answer to
    "which region?" named none)."""
    locale = catalogues.locales[language]
    if region_id is None or region_id not in catalogues.regions.regions:
        if unknown_name:
            question = locale.text("alerts_unknown_place", place=unknown_name)
        elif again:
            question = locale.text("region_not_found")
        else:
            question = locale.text("alerts_unknown_region" if named_unknown else "alerts_which_region")
        pending = {"kind": WAITING_FOR_ALERTS_REGION, "again": again}
        return Outcome((Reply(question, region_menu(catalogues, language)),), {"pending": pending})
    region = catalogues.regions.name(region_id, language)
    found = alerts.active_in_region(region_id, now)
    if not found:
        return Outcome((Reply(locale.text("alerts_none", region=region)),), {"region": region_id})
    lines = [locale.text("alerts_intro", region=region)]
    for alert in found:
        text, fell_back = alert.text_for(language)
        item = locale.text(
            "alerts_item",
            severity=locale.text(f"severity_{alert.severity.lower()}"),
            headline=text.headline.rstrip(". "),
            instruction=text.instruction,
        )
        if fell_back:
            item = f"{item} {locale.text('alerts_other_language')}"
        lines.append(item)
    return Outcome((Reply("\n".join(lines)),), {"region": region_id})
