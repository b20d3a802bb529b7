"""How an alert reads in a citizen's chat: the pushed message, the cancellation, the details."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timezone

from bot.alerts.lifecycle import LIVE, Status
from bot.alerts.model import Alert
from bot.alerts.record import AlertRecord
from bot.assistant.shelters import open_shelter_names
from bot.catalogue.bundle import Catalogues


def _sender(catalogues: Catalogues, language: str, alert: Alert) -> str:
    return catalogues.locales[language].ministry_names.get(alert.sender, alert.sender)


def pushed_alert(catalogues: Catalogues, language: str, alert: Alert) -> str:
    """The message a subscriber receives: who sends it, how serious, what to do, how to learn more."""
    locale = catalogues.locales[language]
    text, fell_back = alert.text_for(language)
    header_key = "alert_update_from" if alert.msg_type == "Update" else "alert_from"
    item = locale.text(
        "alerts_item",
        severity=locale.text(f"severity_{alert.severity.lower()}"),
        headline=text.headline.rstrip(". "),
        instruction=text.instruction,
    )
    lines = [locale.text(header_key, sender=_sender(catalogues, language, alert)), item.strip()]
    if fell_back:
        lines.append(locale.text("alerts_other_language"))
    lines.append(locale.text("alert_more_hint"))
    return "\n".join(lines)


def cancelled_alert(catalogues: Catalogues, language: str, alert: Alert) -> str:
    """The notice that an alert the citizen received no longer applies."""
    text, _ = alert.text_for(language)
    return catalogues.locales[language].text(
        "alert_cancelled", sender=_sender(catalogues, language, alert), headline=text.headline.rstrip(". ")
    )


def alert_details(catalogues: Catalogues, language: str, alert: Alert) -> str:
    """Everything about an alert: headline, description, instruction, areas, end of validity, and for
    the topics that send people to shelters (``alert_topics`` of shelters.yml), the open ones there."""
    locale = catalogues.locales[language]
    text, fell_back = alert.text_for(language)
    regions = locale.join(
        catalogues.regions.name(r, language) for r in alert.regions if r in catalogues.regions.regions
    )
    lines = [text.headline, text.description]
    if text.instruction:
        lines.append(text.instruction)
    lines.append(locale.text("alert_details_areas", regions=regions))
    topics = alert.topics or catalogues.alert_topics.for_categories((alert.category,))
    if set(topics) & catalogues.shelters.alert_topics:
        shelters = open_shelter_names(catalogues, language, alert.regions)
        if shelters:
            lines.append(locale.text("alert_details_shelters", shelters=shelters))
    lines.append(
        locale.text(
            "alert_details_until", expires=alert.expires.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")
        )
    )
    if fell_back:
        lines.append(locale.text("alerts_other_language"))
    return "\n".join(line for line in lines if line)


def template_values(catalogues: Catalogues, language: str, alert: Alert) -> dict[str, str]:
    """The parameters of an alert's message template (channels that need one, e.g. WhatsApp)."""
    text, _ = alert.text_for(language)
    return {
        "sender": _sender(catalogues, language, alert),
        "headline": text.headline.rstrip(". "),
        "instruction": text.instruction,
        "severity": catalogues.locales[language].text(f"severity_{alert.severity.lower()}"),
    }


@dataclass(frozen=True)
class PushedMessage:
    """An alert notice as it goes to the channel: its text and what travels with it (the WhatsApp
    template and its values for a citizen outside the 24-hour window)."""

    text: str
    extra: dict[str, object] = field(default_factory=dict)


def alert_notice(
    catalogues: Catalogues, language: str, record: AlertRecord, cancelled: bool
) -> PushedMessage | None:
    """What a subscriber is shown of an alert (or of its cancellation), or None when nothing is to be
    shown any more (withdrawn meanwhile, or never sent). The conversation's push
    (``actions/alerts.py``) and the direct delivery (``bot/channels/direct.py``) both say this."""
    if record.status not in ({Status.CANCELLED} if cancelled else LIVE):
        return None
    alert = record.alert
    text = (cancelled_alert if cancelled else pushed_alert)(catalogues, language, alert)
    extra: dict[str, object] = {
        "whatsapp_template": "alert_cancelled" if cancelled else "alert",
        "template_values": template_values(catalogues, language, alert),
    }
    return PushedMessage(text, extra)
