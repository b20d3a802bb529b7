"""Reporting a concern (a Rasa form), the summary and filing, the ticket, "what is the status of K7P2QX?",
and the news of a status change pushed by a delivery worker."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.base import BarazaAction
from actions.pushed import NOTHING_TO_SHOW, PushedAction
from actions.turn import Turn
from bot.assistant.channel_kinds import channel_text
from bot.assistant.choices import chosen_payload
from bot.assistant.concerns import (
    CONCERN_SLOTS,
    FORM_SLOTS,
    GUESSED,
    MIN_DESCRIPTION_WORDS,
    MY_TICKETS,
    OTHER,
    REMEMBERED_TICKETS,
    TOPIC_FOUND,
    UNCLEAR,
    category_options,
    filed,
    guess_category,
    is_description,
    own_tickets,
    read_category,
    read_yes_no,
    status_text,
    summary,
    yes_no_options,
)
from bot.assistant.mentions import Kind, mentioned
from bot.assistant.menus import region_menu
from bot.assistant.replies import Option, Outcome, Reply, intent_payload, parse_payload
from bot.catalogue.bundle import Catalogues
from bot.concerns.model import ConcernNotFound, NewConcern
from bot.concerns.ticket import find_ticket
from bot.fanout.notices import TRIGGERS, NoticeKind
from bot.services import shared

logger = logging.getLogger(__name__)


def _language(tracker: Tracker, catalogues: Catalogues) -> str:
    language = tracker.get_slot("language")
    return language if catalogues.languages.is_supported(language) else catalogues.languages.default


def _latest(tracker: Tracker) -> tuple[str, str, dict[str, str]]:
    latest = tracker.latest_message or {}
    entities = {str(e.get("entity")): str(e.get("value")) for e in latest.get("entities") or []}
    return str(latest.get("text") or ""), str((latest.get("intent") or {}).get("name") or ""), entities


class ActionStartConcern(BarazaAction):
    """Before the form: a new report starts empty; "change the text" empties only that answer."""

    def name(self) -> str:
        return "action_start_concern"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:  # pragma: no cover - run() below
        raise NotImplementedError

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Slot events only: the form runs next (data/rules.yml)."""
        return start_concern_events(tracker, _latest(tracker)[2])


def start_concern_events(tracker: Tracker, entities: dict[str, str]) -> list[EventType]:
    """A new report starts empty; a correction ("change the text") empties only that answer."""
    field = entities.get("concern_field")
    if field in FORM_SLOTS:
        cleared = {"concern_region": [field, "concern_place"], "concern_category": [field, TOPIC_FOUND]}.get(
            field, [field]
        )
        return [SlotSet(name, None) for name in cleared]
    events: list[EventType] = [
        SlotSet(name, None) for name in CONCERN_SLOTS if tracker.get_slot(name) is not None
    ]
    category = entities.get("concern_category")
    if category:  # "report a water problem" straight from a button
        events.append(SlotSet("concern_category", category))
    return events


class ValidateConcernForm(FormValidationAction):
    """Reads each answer of the report (buttons, numbers, typed text) or asks again."""

    def name(self) -> str:
        return "validate_concern_form"

    async def validate_concern_category(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        catalogues = shared().catalogues()
        text, _, entities = _latest(tracker)
        options = list(tracker.get_slot("options") or [])
        chosen = read_category(text or str(slot_value or ""), entities, options, catalogues)
        if chosen:
            forgotten = {TOPIC_FOUND: None} if tracker.get_slot(TOPIC_FOUND) else {}
            return {"concern_category": chosen, **forgotten}
        return described_instead(text, tracker, dispatcher, catalogues)

    async def validate_concern_description(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(slot_value or "").strip()
        if parse_payload(text) or len(text.split()) < MIN_DESCRIPTION_WORDS:
            catalogues = shared().catalogues()
            dispatcher.utter_message(
                text=catalogues.locales[_language(tracker, catalogues)].text("concern_description_too_short")
            )
            return {"concern_description": None}
        return {"concern_description": text[: shared().settings.max_message_chars]}

    async def validate_concern_region(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        catalogues = shared().catalogues()
        text, _, entities = _latest(tracker)
        parsed = parse_payload(text) or chosen_payload(text, list(tracker.get_slot("options") or []))
        if parsed:
            chosen = parsed[1].get("region", "")
            return {
                "concern_region": chosen if chosen in catalogues.regions.regions else None,
                "concern_place": "",
            }
        region = mentioned(catalogues, Kind.REGION, entities, text, _language(tracker, catalogues))
        place = text.strip()[:200]
        if not place:
            return {"concern_region": None}
        return {"concern_region": region.value or "", "concern_place": place}

    async def validate_concern_contact(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text, intent, _ = _latest(tracker)
        answer = read_yes_no(intent, text, list(tracker.get_slot("options") or []))
        return {"concern_contact": None if answer is None else ("yes" if answer else "no")}


def described_instead(
    text: str, tracker: Tracker, dispatcher: CollectingDispatcher, catalogues: Catalogues
) -> dict[str, Any]:
    """A typed answer to "what is your concern about?" that is no topic's name or number.

    A description of the problem is kept (it is not asked again) and its topic guessed from it. When
    none can be, the topic is asked once more, with the choices and saying so; an answer to that which
    names no topic either goes on under "Something else" (the summary lets the citizen change it), so
    the citizen is never asked the same question in a loop.
    """
    language = catalogues.languages.get(_language(tracker, catalogues))
    locale = catalogues.locales[language.code]
    found = tracker.get_slot(TOPIC_FOUND)
    described = bool(tracker.get_slot("concern_description"))
    guessed = guess_category(catalogues, text) if text and not parse_payload(text) else None
    kept: dict[str, Any] = {}
    if is_description(text) and not described:
        kept["concern_description"] = text.strip()[: shared().settings.max_message_chars]
    if found == UNCLEAR:
        guessed = guessed or OTHER
    elif guessed is None:
        return {"concern_category": None, TOPIC_FOUND: UNCLEAR, **kept}
    if kept or described:
        name = locale.concern_category_names[guessed]
        said = locale.text("concern_topic_inferred", category=name)
        dispatcher.utter_message(text=said, language=language.code, direction=language.direction)
    return {"concern_category": guessed, TOPIC_FOUND: GUESSED, **kept}


class ActionAskConcernCategory(BarazaAction):
    """What is the concern about? (Said differently after a description whose topic was unclear.)"""

    def name(self) -> str:
        return "action_ask_concern_category"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        unclear = turn.slots.get(TOPIC_FOUND) == UNCLEAR
        key = "concern_topic_unclear" if unclear else "concern_ask_category"
        text = catalogues.locales[turn.language].text(key)
        return Outcome((Reply(text, category_options(catalogues, turn.language)),))


class ActionAskConcernDescription(BarazaAction):
    """What happened?"""

    def name(self) -> str:
        return "action_ask_concern_description"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        text = catalogues.locales[turn.language].text("concern_ask_description")
        return Outcome((Reply(text, awaits_text=True),))


class ActionAskConcernRegion(BarazaAction):
    """Where?"""

    def name(self) -> str:
        return "action_ask_concern_region"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        options = tuple(
            Option(o.title, intent_payload("inform", region=parse_payload(o.payload)[1]["region"]))  # type: ignore[index]
            for o in region_menu(catalogues, turn.language)
        )
        return Outcome((Reply(catalogues.locales[turn.language].text("concern_ask_region"), options),))


class ActionAskConcernContact(BarazaAction):
    """May the ministry contact you?"""

    def name(self) -> str:
        return "action_ask_concern_contact"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        text = channel_text(catalogues.locales[turn.language], "concern_ask_contact", turn.channel)
        return Outcome((Reply(text, yes_no_options(catalogues, turn.language)),))


class ActionConcernSummary(BarazaAction):
    """The report as it will be sent: send, change or cancel."""

    def name(self) -> str:
        return "action_concern_summary"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        return summary(catalogues, turn.language, turn.slots)


def file_or_cancel(turn: Turn, catalogues: Catalogues, *, agreed: bool) -> Outcome:
    """The answer to the summary of a report: file it (and give the ticket) or drop it."""
    locale = catalogues.locales[turn.language]
    cleared: dict[str, Any] = dict.fromkeys(CONCERN_SLOTS)
    if not agreed:
        return Outcome((Reply(locale.text("concern_cancelled")),), cleared)
    slots = turn.slots
    concern = shared().concerns.file(
        NewConcern(
            category=str(slots.get("concern_category") or "other"),
            description=str(slots.get("concern_description") or ""),
            region=str(slots.get("concern_region") or ""),
            place=str(slots.get("concern_place") or ""),
            language=turn.language,
            channel=turn.channel or "rest",
            subscriber=turn.subscriber,
            contact_consent=slots.get("concern_contact") == "yes",
        )
    )
    mine = [*(turn.slots.get(MY_TICKETS) or []), concern.ticket][-REMEMBERED_TICKETS:]
    return Outcome((Reply(filed(catalogues, turn.language, concern)),), {**cleared, MY_TICKETS: mine})


class ActionConcernStatus(BarazaAction):
    """The status of a ticket and the ministry's latest note; "my report" is the one this conversation
    filed (several: the list of them, to choose one)."""

    def name(self) -> str:
        return "action_concern_status"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        locale = catalogues.locales[turn.language]
        ticket = find_ticket(turn.text) or find_ticket(turn.entities.get("ticket", ""))
        if ticket is None:
            concerns = shared().concerns
            mine = []
            for filed_here in turn.slots.get(MY_TICKETS) or []:
                try:
                    mine.append(concerns.for_citizen(str(filed_here), turn.subscriber))
                except ConcernNotFound:  # deleted since (the citizen's data, or the retention)
                    continue
            if len(mine) == 1:
                return Outcome((Reply(status_text(catalogues, turn.language, mine[0])),))
            if mine:
                return own_tickets(catalogues, turn.language, mine)
            return Outcome((Reply(locale.text("concern_status_which"), awaits_text=True),))
        try:
            concern = shared().concerns.for_citizen(ticket, turn.subscriber)
        except ConcernNotFound:
            return Outcome((Reply(locale.text("concern_status_unknown", ticket=ticket)),))
        return Outcome((Reply(status_text(catalogues, turn.language, concern)),))


class ActionConcernUpdate(PushedAction):
    """Tells the citizen their concern moved (pushed by a delivery worker), once per change."""

    intent = TRIGGERS[NoticeKind.CONCERN].intent

    def name(self) -> str:
        return "action_concern_update"

    def deliver(
        self, dispatcher: CollectingDispatcher, turn: Turn, catalogues: Catalogues
    ) -> list[EventType]:
        """The new status and note, in the conversation's language."""
        try:
            ticket = turn.entities.get(TRIGGERS[NoticeKind.CONCERN].reference_entity, "")
            concern = shared().concerns.for_citizen(ticket, turn.subscriber)
        except ConcernNotFound:  # deleted meanwhile: nothing to tell, for good
            return list(NOTHING_TO_SHOW)
        if not turn.slots.get("language") and catalogues.languages.is_supported(concern.language):
            turn = replace(turn, language=concern.language)  # the conversation expired since: as filed
        locale = catalogues.locales[turn.language]
        headline = locale.text(
            "concern_status_changed",
            ticket=concern.ticket,
            status=locale.text(f"concern_status_{concern.status.value}"),
        )
        lines = [headline, *status_text(catalogues, turn.language, concern).split("\n")[1:]]
        return self.send(dispatcher, turn, catalogues, (Reply("\n".join(lines)),), {}, way_home=False)
