"""Shelters in the chat: the open ones of the citizen's region, or what to do when none is open."""

from __future__ import annotations

from bot.assistant.replies import Option, Outcome, Reply, intent_payload
from bot.catalogue.bundle import Catalogues
from bot.catalogue.shelters import Shelter

#: The crisis knowledge base's entry on shelters: asking about it lists the shelters of the catalogue.
SHELTERS_TOPIC = "shelters"


def is_shelter_question(catalogues: Catalogues, text: str) -> bool:
    """The text asks for a shelter: it speaks of one, and names a region ("Kuna makazi Bandari?") or
    is closest to the knowledge base's shelter entry ("where is the nearest shelter"); "she was in the
    shelter" in a question about a missing person is not one."""
    if not catalogues.shelters.asks_about_shelters(text):
        return False
    if catalogues.regions.find_in_text(text, catalogues.languages.default):
        return True
    match = catalogues.crisis.match(text)
    return match is not None and match.topic_id == SHELTERS_TOPIC


def shelter_line(catalogues: Catalogues, language: str, shelter: Shelter) -> str:
    """One shelter: name, place, room, and whether it is step-free."""
    locale = catalogues.locales[language]
    access = locale.text("shelters_accessible" if shelter.accessible else "shelters_not_accessible")
    return locale.text(
        "shelters_item",
        name=shelter.names[language],
        place=shelter.places[language],
        capacity=str(shelter.capacity),
        access=access,
    )


def open_shelter_names(catalogues: Catalogues, language: str, regions: tuple[str, ...]) -> str:
    """The names and places of the open shelters of ``regions``, joined ("" when none is open)."""
    separator = catalogues.locales[language].text("list_separator")
    return separator.join(
        f"{s.names[language]} ({s.places[language]})" for s in catalogues.shelters.open_in(regions)
    )


def answer_shelters(
    catalogues: Catalogues, language: str, region_id: str | None, *, named_unknown: bool = False
) -> Outcome:
    """The open shelters of the region (and what to bring), or none open and whom to call; without a
    region, which region (each choice asks again with it)."""
    locale = catalogues.locales[language]
    if region_id is None or region_id not in catalogues.regions.regions:
        key = "alerts_unknown_region" if named_unknown else "shelters_which_region"
        options = tuple(
            Option(
                catalogues.regions.name(other, language),
                intent_payload("ask_crisis", crisis_topic=SHELTERS_TOPIC, region=other),
            )
            for other in catalogues.regions.ids
        )
        return Outcome((Reply(locale.text(key), options),))
    region = catalogues.regions.name(region_id, language)
    remember = {"region": region_id}
    found = catalogues.shelters.open_in((region_id,))
    if not found:
        return Outcome((Reply(locale.text("shelters_none", region=region)),), remember)
    lines = [
        locale.text("shelters_open", region=region),
        *(shelter_line(catalogues, language, s) for s in found),
        locale.text("shelters_bring"),
    ]
    return Outcome((Reply("\n".join(lines)),), remember)
