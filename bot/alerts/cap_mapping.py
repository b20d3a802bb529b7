"""Between CAP messages and Baraza's alerts: areas to regions, <info> blocks to languages.

An <area> names a region by geocode (the region's code in ``regions.yml``, whatever the valueName)
or by its description (a region's name or main town in any supported language). An area that names
no region is an error, not silently dropped: a ministry must know that part of its alert would reach
nobody.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.alerts.cap import CapArea, CapError, CapInfo, CapMessage, CapReference
from bot.alerts.model import Alert, AlertText
from bot.catalogue.bundle import Catalogues
from bot.phrases import fold

#: The CAP <geocode><valueName> Baraza writes for its regions.
GEOCODE_NAME = "KL-REGION"
#: How long an alert with no <expires> stays in force.
DEFAULT_VALIDITY = timedelta(hours=24)


def region_of_area(area: CapArea, catalogues: Catalogues) -> str | None:
    """The region an <area> names, by geocode first, then by description."""
    for region in catalogues.regions.regions.values():
        if any(value.strip().upper() == region.geocode.upper() for _, value in area.geocodes):
            return region.region_id
    wanted = fold(area.description)
    for region in catalogues.regions.regions.values():
        names = [region.main_town, *region.names.values()]
        names += [form for forms in region.spellings.values() for form in forms]
        if any(fold(name) == wanted for name in names):
            return region.region_id
    return None


def primary_language(tag: str) -> str:
    """``fr-CA`` -> ``fr`` (CAP uses RFC 3066 tags; Baraza keys texts by ISO 639-1 code)."""
    return tag.split("-")[0].strip().lower()


def alert_from_cap(
    message: CapMessage,
    catalogues: Catalogues,
    *,
    alert_id: str,
    sender_ministry: str,
    references: tuple[str, ...] = (),
) -> Alert:
    """The alert a CAP message describes; :class:`CapError` when it cannot be broadcast to citizens."""
    if message.status != "Actual":
        raise CapError(f"<status> is {message.status}: only Actual alerts are broadcast to citizens")
    if message.scope != "Public":
        raise CapError(f"<scope> is {message.scope}: only Public alerts are broadcast to citizens")
    if not message.infos:
        raise CapError("the alert has no <info> block, so there is nothing to tell citizens")
    regions: list[str] = []
    unknown: list[str] = []
    for info in message.infos:
        for area in info.areas:
            region = region_of_area(area, catalogues)
            if region is None:
                unknown.append(area.description)
            elif region not in regions:
                regions.append(region)
    if unknown:
        known = ", ".join(
            f"{r.geocode} ({r.names[catalogues.languages.default]})"
            for r in catalogues.regions.regions.values()
        )
        raise CapError(
            f"<area> {', '.join(repr(u) for u in unknown)} matches no region; known geocodes: {known}"
        )
    if not regions:
        raise CapError("the alert has no <area>, so it would reach nobody")
    first = message.infos[0]
    texts: dict[str, AlertText] = {}
    for info in message.infos:
        language = primary_language(info.language)
        if language in texts:
            raise CapError(f"two <info> blocks are in the language {language!r}")
        texts[language] = AlertText(
            headline=info.headline or info.event,
            description=info.description,
            instruction=info.instruction,
        )
    effective = first.effective or message.sent
    expires_list = [info.expires for info in message.infos if info.expires]
    expires = max(expires_list) if expires_list else effective + DEFAULT_VALIDITY
    categories = tuple(dict.fromkeys(c for info in message.infos for c in info.categories))
    try:
        return Alert(
            alert_id=alert_id,
            severity=first.severity,
            urgency=first.urgency,
            certainty=first.certainty,
            category=categories[0],
            regions=tuple(regions),
            effective=effective,
            expires=expires,
            texts=texts,
            sender=sender_ministry,
            topics=catalogues.alert_topics.for_categories(categories),
            msg_type=message.msg_type if message.msg_type in ("Update", "Cancel") else "Alert",
            references=references,
            event=first.event,
            web=first.web,
        )
    except ValueError as error:
        raise CapError(str(error)) from error


def cap_from_alert(
    alert: Alert,
    catalogues: Catalogues,
    *,
    sender: str,
    identifier: str,
    sent: datetime,
    references: tuple[CapReference, ...] = (),
    note: str = "",
) -> CapMessage:
    """The CAP message for an alert: one <info> per language, one <area> per region."""
    infos = []
    for language, text in alert.texts.items():
        names_language = language if language in catalogues.languages.codes else catalogues.languages.default
        locale = catalogues.locales[names_language]
        infos.append(
            CapInfo(
                language=language,
                categories=(alert.category,),
                event=alert.event or text.headline,
                urgency=alert.urgency,
                severity=alert.severity,
                certainty=alert.certainty,
                effective=alert.effective,
                expires=alert.expires,
                sender_name=locale.ministry_names.get(alert.sender, alert.sender),
                headline=text.headline,
                description=text.description,
                instruction=text.instruction,
                web=alert.web,
                areas=tuple(
                    CapArea(
                        description=catalogues.regions.name(region, names_language),
                        geocodes=((GEOCODE_NAME, catalogues.regions.regions[region].geocode),),
                    )
                    for region in alert.regions
                ),
            )
        )
    return CapMessage(
        identifier=identifier,
        sender=sender,
        sent=sent,
        status="Actual",
        msg_type=alert.msg_type,
        scope="Public",
        note=note,
        references=references,
        infos=tuple(infos),
    )
