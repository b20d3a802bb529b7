"""Reporting a concern in the chat: the questions, reading the answers, the summary, the ticket."""

from __future__ import annotations

from bot.assistant.choices import chosen_payload
from bot.assistant.questions import QUESTION_ENTITY, question_id, yes_no
from bot.assistant.replies import Option, Outcome, Reply, intent_payload, parse_payload
from bot.catalogue.bundle import Catalogues
from bot.catalogue.concern_routing import CATEGORIES, TRIAGE
from bot.concerns.model import Concern
from bot.phrases import cues_found, fold

#: The form's slots, in the order they are asked.
FORM_SLOTS = ("concern_category", "concern_description", "concern_region", "concern_contact")
#: How the topic was found when the citizen typed a description instead of choosing one: "guessed"
#: (from the description: the summary says so) or "unclear" (nothing found: asked once, with choices).
TOPIC_FOUND = "concern_topic_found"
GUESSED, UNCLEAR = "guessed", "unclear"
#: The category of a report whose topic could not be told (a person sorts it, see concern_routing.yml).
OTHER = "other"
#: Also cleared when a report is finished or abandoned.
CONCERN_SLOTS = (*FORM_SLOTS, "concern_place", TOPIC_FOUND)
WAITING_FOR_SUMMARY = "concern_summary"
#: The form's yes/no question (its buttons name it; it is a form slot, not a pending question).
ASKING_CONTACT = "concern_contact"
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


def guess_category(catalogues: Catalogues, description: str) -> str | None:
    """The category a description of the problem is about, by its cue words in any language
    (``concern_category_cues``); None when no category has more cues than every other."""
    counts = sorted(
        (
            (len(cues_found(description, cues)), category)
            for category, cues in catalogues.locales.concern_category_cues().items()
        ),
        reverse=True,
    )
    if not counts or counts[0][0] == 0 or (len(counts) > 1 and counts[1][0] == counts[0][0]):
        return None
    return counts[0][1] if counts[0][1] in CATEGORIES else None


def is_description(text: str) -> bool:
    """Whether a typed answer can be the description of the problem (not a button, a few words)."""
    stripped = text.strip()
    return bool(stripped) and not parse_payload(stripped) and len(stripped.split()) >= MIN_DESCRIPTION_WORDS


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
    """Yes and no as the choices of "may the ministry contact you?" (a late tap answers nothing)."""
    locale = catalogues.locales[language]
    asked = question_id(ASKING_CONTACT, locale.text("concern_ask_contact"))
    return yes_no(locale.text("answer_yes"), locale.text("answer_no"), asked)


def summary(catalogues: Catalogues, language: str, slots: dict[str, object]) -> Outcome:
    """The report as it will be sent, with send, change and cancel."""
    locale = catalogues.locales[language]
    region = str(slots.get("concern_region") or "")
    place = str(slots.get("concern_place") or "")
    where = catalogues.regions.name(region, language) if region in catalogues.regions.regions else ""
    place_text = locale.join((place if place and fold(place) != fold(where) else "", where)) or "–"
    text = locale.text(
        "concern_summary",
        category=locale.concern_category_names.get(str(slots.get("concern_category")), ""),
        description=str(slots.get("concern_description") or ""),
        place=place_text,
        contact=locale.text("answer_yes")
        if slots.get("concern_contact") == "yes"
        else locale.text("answer_no"),
    )
    if slots.get(TOPIC_FOUND) == GUESSED:  # the citizen did not choose the topic: say it can be changed
        text = f"{locale.text('concern_topic_inferred_note')}\n{text}"
    asked = question_id(WAITING_FOR_SUMMARY, text)
    send, cancel = yes_no(locale.text("concern_send"), locale.text("concern_cancel"), asked)
    options = (
        send,
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
        cancel,
    )
    return Outcome(
        (Reply(text, options),), {"pending": {"kind": WAITING_FOR_SUMMARY, QUESTION_ENTITY: asked}}
    )


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
