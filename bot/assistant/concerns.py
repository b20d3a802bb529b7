"""Reporting a concern in the chat: the questions, reading the answers, the summary, the ticket."""

from __future__ import annotations

from bot.assistant.choices import chosen_payload
from bot.assistant.replies import Option, Outcome, Reply, intent_payload, parse_payload
from bot.catalogue.bundle import Catalogues
from bot.catalogue.concern_routing import CATEGORIES, TRIAGE
from bot.concerns.model import Concern
from bot.phrases import fold

#: The form's slots, in the order they are asked.
FORM_SLOTS = ("concern_category", "concern_description", "concern_region", "concern_contact")
#: Also cleared when a report is finished or abandoned.
CONCERN_SLOTS = (*FORM_SLOTS, "concern_place")
WAITING_FOR_SUMMARY = "concern_summary"
#: The slot of the tickets this conversation filed ("what is the status of my report?"), newest last.
MY_TICKETS = "my_tickets"
REMEMBERED_TICKETS = 10
MIN_DESCRIPTION_WORDS = 3


def category_options(catalogues: Catalogues, language: str) -> tuple[Option, ...]:
    """Every category as a choice."""
    names = catalogues.locales[language].concern_category_names
    return tuple(Option(names[c], intent_payload("report_concern", concern_category=c)) for c in CATEGORIES)


def read_category(
    text: str, entities: dict[str, str], options: list[str], catalogues: Catalogues
) -> str | None:
    """The category a button, a number or a typed name means; None if none."""
    if entities.get("concern_category") in CATEGORIES:
        return entities["concern_category"]
    parsed = parse_payload(text)
    if parsed and parsed[1].get("concern_category") in CATEGORIES:
        return parsed[1]["concern_category"]
    chosen = chosen_payload(text, options)
    if chosen and chosen[1].get("concern_category") in CATEGORIES:
        return chosen[1]["concern_category"]
    wanted = fold(text)
    for locale in catalogues.locales.locales.values():
        for category, name in locale.concern_category_names.items():
            if wanted and (
                fold(name) == wanted or fold(name) in wanted.split(" ") or wanted in fold(name).split(" ")
            ):
                return category
    return None


def read_yes_no(intent: str, text: str, options: list[str]) -> bool | None:
    """Yes or no, from the intent, a payload or a number."""
    parsed = chosen_payload(text, options) or parse_payload(text.strip())
    if parsed:
        intent = parsed[0]
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    return None


def yes_no_options(catalogues: Catalogues, language: str) -> tuple[Option, ...]:
    """Yes and no as choices."""
    locale = catalogues.locales[language]
    return (
        Option(locale.text("answer_yes"), intent_payload("affirm")),
        Option(locale.text("answer_no"), intent_payload("deny")),
    )


def summary(catalogues: Catalogues, language: str, slots: dict[str, object]) -> Outcome:
    """The report as it will be sent, with send, change and cancel."""
    locale = catalogues.locales[language]
    region = str(slots.get("concern_region") or "")
    place = str(slots.get("concern_place") or "")
    where = catalogues.regions.name(region, language) if region in catalogues.regions.regions else ""
    place_text = (
        ", ".join(p for p in (place if place and fold(place) != fold(where) else "", where) if p) or "–"
    )
    text = locale.text(
        "concern_summary",
        category=locale.concern_category_names.get(str(slots.get("concern_category")), ""),
        description=str(slots.get("concern_description") or ""),
        place=place_text,
        contact=locale.text("answer_yes")
        if slots.get("concern_contact") == "yes"
        else locale.text("answer_no"),
    )
    options = (
        Option(locale.text("concern_send"), intent_payload("affirm")),
        Option(
            locale.text("concern_change_category"),
            intent_payload("report_concern", concern_field="concern_category"),
        ),
        Option(
            locale.text("concern_change_description"),
            intent_payload("report_concern", concern_field="concern_description"),
        ),
        Option(
            locale.text("concern_change_place"),
            intent_payload("report_concern", concern_field="concern_region"),
        ),
        Option(locale.text("concern_cancel"), intent_payload("deny")),
    )
    return Outcome((Reply(text, options),), {"pending": {"kind": WAITING_FOR_SUMMARY}})


def filed(catalogues: Catalogues, language: str, concern: Concern) -> str:
    """The confirmation with the ticket."""
    locale = catalogues.locales[language]
    if concern.ministry == TRIAGE:
        return locale.text("concern_filed_triage", ticket=concern.ticket)
    return locale.text(
        "concern_filed",
        ticket=concern.ticket,
        ministry=locale.ministry_names.get(concern.ministry, concern.ministry),
    )


def status_text(catalogues: Catalogues, language: str, concern: Concern) -> str:
    """Where a concern is, and the ministry's latest public note."""
    locale = catalogues.locales[language]
    lines = [
        locale.text(
            "concern_status",
            ticket=concern.ticket,
            category=locale.concern_category_names.get(concern.category, concern.category),
            status=locale.text(f"concern_status_{concern.status.value}"),
        )
    ]
    if concern.public_note:
        ministry = locale.ministry_names.get(concern.ministry, concern.ministry)
        lines.append(locale.text("concern_status_note", ministry=ministry, note=concern.public_note))
    return "\n".join(lines)


def own_tickets(catalogues: Catalogues, language: str, concerns: list[Concern]) -> Outcome:
    """The reports this conversation filed, newest first, each a choice that gives its status and note."""
    locale = catalogues.locales[language]
    options = tuple(
        Option(
            status_text(catalogues, language, concern).split("\n")[0],
            intent_payload("check_concern_status", ticket=concern.ticket),
        )
        for concern in reversed(concerns)
    )
    return Outcome((Reply(locale.text("concern_status_choose"), options),))
