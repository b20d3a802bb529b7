"""Reporting a concern in the chat, run in memory with a real SQLite store."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.concerns import (
    ActionAskConcernCategory,
    ActionConcernStatus,
    ActionConcernSummary,
    ActionStartConcern,
    ValidateConcernForm,
)
from actions.confirm import ActionConfirm
from bot.alerts.model import utc_now
from bot.catalogue.bundle import Catalogues
from bot.concerns.database import make_engine
from bot.concerns.model import ConcernFilter, ConcernStatus
from bot.concerns.service import ConcernService
from bot.concerns.store import ConcernStore
from bot.services import shared
from tests.actions.conftest import make_tracker, run_action, slot_events


def _validate(
    slot: str, text: str, intent: str = "inform", slots: dict[str, Any] | None = None, **entities: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    tracker = make_tracker(text, intent, entities, slots={"language": "es", **(slots or {})})
    dispatcher = CollectingDispatcher()
    method = getattr(ValidateConcernForm(), f"validate_{slot}")
    result = asyncio.run(method(text, dispatcher, tracker, {}))
    return result, dispatcher.messages


def test_answers_are_read_from_buttons_numbers_and_words(concern_service: ConcernService) -> None:
    assert _validate("concern_category", '/report_concern{"concern_category":"health"}')[0] == {
        "concern_category": "health"
    }
    assert _validate("concern_category", "agua y saneamiento")[0] == {"concern_category": "water_sanitation"}
    options = [
        '/report_concern{"concern_category":"health"}',
        '/report_concern{"concern_category":"education"}',
    ]
    assert _validate("concern_category", "2", slots={"options": options})[0] == {
        "concern_category": "education"
    }
    # Not a topic: asked once more, saying so (see the tests of descriptions below).
    assert _validate("concern_category", "no sé")[0] == {
        "concern_category": None,
        "concern_topic_found": "unclear",
    }
    result, messages = _validate("concern_description", "agua")
    assert result == {"concern_description": None} and messages  # too short: asked for more
    text = "No hay agua en Ziwani desde el lunes."
    assert _validate("concern_description", text)[0] == {"concern_description": text}
    assert _validate("concern_region", "cerca del mercado de Bandari")[0] == {
        "concern_region": "coast",
        "concern_place": "cerca del mercado de Bandari",
    }
    assert _validate("concern_region", '/inform{"region":"lakes"}')[0] == {
        "concern_region": "lakes",
        "concern_place": "",
    }
    assert _validate("concern_contact", "sí", intent="affirm")[0] == {"concern_contact": "yes"}


@pytest.mark.parametrize(
    "language,description,category",
    [
        ("es", "no hay agua en mi barrio desde hace tres días", "water_sanitation"),
        ("en", "The teacher has not come to the school for two weeks", "education"),
        ("ar", "الطريق إلى السوق مليء بالحفر منذ الأمطار", "roads_transport"),
    ],
)
def test_a_description_typed_for_the_topic_is_kept_and_its_topic_guessed(
    concern_service: ConcernService, catalogues: Catalogues, language: str, description: str, category: str
) -> None:
    result, said = _validate("concern_category", description, "ask_crisis", {"language": language})
    assert result == {
        "concern_category": category,
        "concern_description": description,
        "concern_topic_found": "guessed",
    }
    name = catalogues.locales[language].concern_category_names[category]
    assert [m["text"] for m in said] == [
        catalogues.locales[language].text("concern_topic_inferred", category=name)
    ]


def test_a_description_of_no_clear_topic_asks_once_then_goes_on(
    concern_service: ConcernService, catalogues: Catalogues
) -> None:
    description = "Something happened yesterday that I think somebody should know about"
    result, said = _validate("concern_category", description, slots={"language": "en"})
    assert result == {
        "concern_category": None,
        "concern_description": description,
        "concern_topic_found": "unclear",
    }
    assert said == []
    slots = {"language": "en", **result}
    messages, _ = run_action(ActionAskConcernCategory(), make_tracker(description, "inform", slots=slots))
    english = catalogues.locales["en"]
    assert messages[0]["text"] == english.text("concern_topic_unclear")
    assert len(messages[0]["buttons"]) == len(english.concern_category_names)
    # Whatever comes next that names no topic, the report goes on: no loop, the description kept.
    result, _ = _validate("concern_category", "hmm", slots=slots)
    assert result == {"concern_category": "other", "concern_topic_found": "guessed"}
    # A topic named then is taken, and the "unclear" state forgotten.
    result, _ = _validate("concern_category", "2", slots={**slots, "options": _category_payloads(catalogues)})
    assert result == {"concern_category": "education", "concern_topic_found": None}


def _category_payloads(catalogues: Catalogues) -> list[str]:
    from bot.assistant.concerns import category_options

    return [o.payload for o in category_options(catalogues, "en")]


def test_a_short_answer_naming_a_topic_starts_with_it_and_asks_the_description(
    concern_service: ConcernService,
) -> None:
    result, said = _validate("concern_category", "broken water pipe", slots={"language": "en"})
    assert result["concern_category"] == "water_sanitation"
    result, said = _validate("concern_category", "water problem", slots={"language": "en"})
    assert result == {"concern_category": "water_sanitation", "concern_topic_found": "guessed"} and said == []


def _report_slots(description: str) -> dict[str, Any]:
    return {
        "language": "es",
        "concern_category": "water_sanitation",
        "concern_description": description,
        "concern_region": "lakes",
        "concern_place": "Ziwani",
        "concern_contact": "yes",
    }


def test_summary_then_filed_with_ticket_redacted_and_routed(
    concern_service: ConcernService, catalogues: Catalogues
) -> None:
    slots = _report_slots("No hay agua desde el lunes. Llámeme al +254 712 345 678, soy Juan Pérez.")
    messages, events = run_action(
        ActionConcernSummary(),
        make_tracker("sí", "affirm", slots=slots, channel="rest"),  # the last answer
    )
    assert "No hay agua desde el lunes" in messages[0]["text"] and len(messages[0]["buttons"]) == 5
    pending = slot_events(events)["pending"]
    messages, events = run_action(
        ActionConfirm(), make_tracker("sí", "affirm", slots={**slots, "pending": pending}, channel="rest")
    )
    [concern], _ = concern_service.store.find(ConcernFilter())
    assert concern.ticket in messages[0]["text"]
    assert catalogues.locales["es"].ministry_names["water"] in messages[0]["text"]
    assert concern.ministry == "water" and concern.language == "es"
    assert "+254" not in concern.description and "Juan Pérez" not in concern.description
    assert concern.original is not None and "+254 712 345 678" in concern.original  # consent given
    assert all(slot_events(events)[name] is None for name in ("concern_category", "concern_description"))
    assert slot_events(events)["my_tickets"] == [concern.ticket]  # the conversation remembers its report


def test_cancel_at_the_summary_files_nothing(concern_service: ConcernService, catalogues: Catalogues) -> None:
    slots = {**_report_slots("La carretera a Bandari está cortada."), "pending": {"kind": "concern_summary"}}
    messages, _ = run_action(ActionConfirm(), make_tracker("no", "deny", slots=slots, channel="rest"))
    assert concern_service.store.find(ConcernFilter())[1] == 0
    assert messages[0]["text"] == catalogues.locales["es"].text("concern_cancelled")


def test_change_a_field_clears_only_it(concern_service: ConcernService) -> None:
    slots = _report_slots("La carretera a Bandari está cortada.")
    tracker = make_tracker(
        '/report_concern{"concern_field":"concern_description"}',
        "report_concern",
        {"concern_field": "concern_description"},
        slots=slots,
    )
    _, events = run_action(ActionStartConcern(), tracker)
    assert slot_events(events) == {"concern_description": None}
    _, events = run_action(
        ActionStartConcern(), make_tracker("quiero reportar un problema", "report_concern", slots=slots)
    )
    assert set(slot_events(events)) >= {"concern_category", "concern_description", "concern_region"}


def test_status_of_a_ticket_in_the_citizens_language(
    concern_service: ConcernService, catalogues: Catalogues
) -> None:
    from bot.concerns.model import NewConcern

    concern = concern_service.file(
        NewConcern("roads_transport", "Bache enorme en la A104.", "coast", "", "es", "rest", "rest:x", False)
    )
    concern_service.store.change_status(
        concern.ticket, ConcernStatus.IN_PROGRESS, actor="k", note="Equipo enviado.", now=utc_now()
    )
    messages, _ = run_action(
        ActionConcernStatus(),
        make_tracker(f"estado de {concern.ticket.lower()}", "check_concern_status", slots={"language": "es"}),
    )
    text = messages[0]["text"]
    assert (
        concern.ticket in text
        and catalogues.locales["es"].text("concern_status_in_progress") in text
        and "Equipo enviado." in text
    )
    messages, _ = run_action(
        ActionConcernStatus(),
        make_tracker("estado de ZZZ999", "check_concern_status", slots={"language": "es"}),
    )
    assert messages[0]["text"] == catalogues.locales["es"].text("concern_status_unknown", ticket="ZZZ999")


def test_status_of_my_report_is_the_one_this_conversation_filed(
    concern_service: ConcernService, catalogues: Catalogues
) -> None:
    from bot.concerns.model import NewConcern

    def report(category: str) -> str:
        new = NewConcern(category, "No hay agua en el barrio.", "coast", "", "es", "rest", "rest:test", False)
        return concern_service.file(new).ticket

    locale = catalogues.locales["es"]
    asked = "¿cuál es el estado de mi reporte?"
    messages, _ = run_action(
        ActionConcernStatus(), make_tracker(asked, "check_concern_status", slots={"language": "es"})
    )
    assert messages[0]["text"] == locale.text("concern_status_which")  # nothing filed here: which one?

    water = report("water_sanitation")
    slots = {"language": "es", "my_tickets": [water]}
    messages, _ = run_action(ActionConcernStatus(), make_tracker(asked, "check_concern_status", slots=slots))
    assert water in messages[0]["text"] and locale.text("concern_status_received") in messages[0]["text"]

    roads = report("roads_transport")
    slots = {"language": "es", "my_tickets": [water, roads, "GONE99"]}  # one deleted since
    messages, _ = run_action(ActionConcernStatus(), make_tracker(asked, "check_concern_status", slots=slots))
    assert messages[0]["text"] == locale.text("concern_status_choose")
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == [f'/check_concern_status{{"ticket":"{t}"}}' for t in (roads, water)]  # newest first
    assert locale.concern_category_names["roads_transport"] in messages[0]["buttons"][0]["title"]

    chosen = make_tracker(payloads[1], "check_concern_status", {"ticket": water}, slots=slots)
    messages, _ = run_action(ActionConcernStatus(), chosen)
    assert messages[0]["text"].startswith(
        locale.text(
            "concern_status",
            ticket=water,
            category=locale.concern_category_names["water_sanitation"],
            status=locale.text("concern_status_received"),
        )
    )


def test_database_down_at_filing_tells_the_citizen_and_keeps_the_question(
    catalogues: Catalogues, monkeypatch: pytest.MonkeyPatch
) -> None:
    down = ConcernService(
        ConcernStore(make_engine("postgresql://postgres@127.0.0.1:1/none")), lambda: catalogues, utc_now
    )
    monkeypatch.setattr(shared(), "concerns", down)
    slots = {**_report_slots("No hay agua en Ziwani desde el lunes."), "pending": {"kind": "concern_summary"}}
    messages, events = run_action(ActionConfirm(), make_tracker("sí", "affirm", slots=slots, channel="rest"))
    assert messages[0]["text"] == catalogues.locales["es"].text("temporary_error")
    changed = slot_events(events)
    assert (
        "pending" not in changed and "concern_description" not in changed
    )  # nothing lost: "sí" again later files it


def _concern_update(
    ticket: str, slots: dict[str, Any] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from actions.concerns import ActionConcernUpdate

    entities = {"ticket": ticket, "delivery_id": f"concern:{ticket}:1:concern:rest:test"}
    tracker = make_tracker(
        "EXTERNAL: EXTERNAL_concern_update",
        "EXTERNAL_concern_update",
        entities,
        slots={"language": "es"} if slots is None else slots,
    )
    return run_action(ActionConcernUpdate(), tracker)


def test_concern_news_is_remembered_once_told_and_retried_when_the_database_is_down(
    concern_service: ConcernService, catalogues: Catalogues, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.concerns.model import NewConcern

    new = NewConcern("water_sanitation", "Sin agua.", "lakes", "Ziwani", "es", "rest", "rest:test", False)
    ticket = concern_service.file(new).ticket
    messages, events = _concern_update(ticket)
    assert ticket in messages[0]["text"] and slot_events(events)["delivered_alerts"]
    _, events = _concern_update("ZZZZZZ")  # gone: nothing to tell, for good
    assert slot_events(events)["delivered_alerts"]
    down = ConcernService(
        ConcernStore(make_engine("postgresql://postgres@127.0.0.1:1/none")), lambda: catalogues, utc_now
    )
    monkeypatch.setattr(shared(), "concerns", down)
    messages, events = _concern_update(ticket)
    assert messages == [] and "delivered_alerts" not in slot_events(events)


def test_concern_news_into_an_expired_conversation_is_in_the_language_of_the_report(
    concern_service: ConcernService, catalogues: Catalogues
) -> None:
    from bot.concerns.model import NewConcern

    new = NewConcern("water_sanitation", "Hakuna maji.", "lakes", "Ziwani", "sw", "rest", "rest:test", False)
    ticket = concern_service.file(new).ticket
    concern_service.store.change_status(
        ticket, ConcernStatus.IN_PROGRESS, actor="k", note="Tunashughulikia.", now=utc_now()
    )
    messages, _ = _concern_update(ticket, slots={})  # the conversation ran out of retention
    headline = catalogues.locales["sw"].text(
        "concern_status_changed",
        ticket=ticket,
        status=catalogues.locales["sw"].text("concern_status_in_progress"),
    )
    assert messages[0]["text"].startswith(headline)


def test_only_the_filing_citizen_reads_the_ministrys_note_as_written(
    concern_service: ConcernService,
) -> None:
    """Tickets are public (Open311 lists them): a stranger asking about one reads the note redacted."""
    from bot.concerns.model import NewConcern

    mine = concern_service.file(
        NewConcern("health", "Sin enfermera en Ziwani.", "lakes", "", "es", "rest", "rest:test", False)
    )
    concern_service.store.change_status(
        mine.ticket,
        ConcernStatus.IN_PROGRESS,
        actor="k",
        note="Le llamaremos al 0712 345 678.",
        now=utc_now(),
    )
    asked = make_tracker(f"estado {mine.ticket}", "check_concern_status", slots={"language": "es"})
    messages, _ = run_action(ActionConcernStatus(), asked)  # the tracker's sender is "test": the filer
    assert "0712 345 678" in messages[0]["text"]
    stranger = concern_service.for_citizen(mine.ticket, "telegram:999")
    assert "0712" not in stranger.public_note and "Le llamaremos al" in stranger.public_note
    assert "0712" not in concern_service.for_citizen(mine.ticket, "").public_note
