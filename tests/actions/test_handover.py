"""Handing a conversation to a person, run in memory against the real test Redis: asking in any
language, the queue, danger first with the emergency number, twice not understood, a closed desk and
the message left for a call back, and a rating only for an ended handoff."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk.events import ActiveLoop

from actions.confirm import ActionConfirm
from actions.conversation import ActionFallback, ActionHandoffDistress, ActionHandoffInReport, ActionSmallTalk
from actions.handover import ALWAYS_HEARD
from actions.routing import ActionChooseOption
from bot.assistant.handoff import WAITING_FOR_CALLBACK, WAITING_FOR_MESSAGE, WAITING_FOR_RATING
from bot.catalogue.bundle import Catalogues
from bot.concerns.service import ConcernService
from bot.handoff.model import Status, Trigger
from bot.handoff.relay import NoticeKind
from bot.services import Services
from tests.actions.conftest import (
    AMINA,
    SUNDAY,
    Clock,
    run_action,
    slot_events,
)
from tests.actions.conftest import (
    citizen_tracker as tracker,
)
from tests.actions.conftest import (
    texts_of as _texts,
)


def test_asking_for_a_person_in_spanish_queues_and_tells_the_place(
    at_work: Services, catalogues: Catalogues
) -> None:
    es = catalogues.locales["es"]
    listener = at_work.redis.pubsub()
    listener.subscribe("baraza:handoff:live:citizen_services")
    listener.get_message(timeout=1)
    messages, _ = run_action(
        ActionSmallTalk(), tracker("web:ana", "quiero hablar con una persona", "human_handoff")
    )
    assert _texts(messages) == [es.text("handoff_queued", position=1, minutes=5)]
    handoff = at_work.handoffs.active("web:ana")
    assert handoff is not None and handoff.status is Status.WAITING and handoff.language == "es"
    assert handoff.channel == "socketio" and handoff.trigger is Trigger.ASKED
    event = listener.get_message(timeout=2)
    assert event is not None and json.loads(event["data"])["kind"] == "queued"


def test_three_citizens_see_places_1_2_3_and_a_menu_number_asks_too(
    at_work: Services, catalogues: Catalogues
) -> None:
    en = catalogues.locales["en"]
    seen = []
    for who in ("ana", "ben"):
        messages, _ = run_action(ActionSmallTalk(), tracker(f"web:{who}", "a person", "human_handoff"))
        seen.append(messages[0]["text"])
    # an SMS citizen picks "Talk to a person" by its number in the main menu
    menu = ["/list_services", "/ask_crisis", "/ask_alerts", "/human_handoff"]
    sms = tracker(
        "sms:+254700000003", "4", "choose_option", channel="twilio", language="en", slots={"options": menu}
    )
    messages, _ = run_action(ActionChooseOption(), sms)
    assert seen == [
        catalogues.locales["es"].text("handoff_queued", position=1, minutes=5),
        catalogues.locales["es"].text("handoff_queued", position=2, minutes=10),
    ]
    assert messages[0]["text"].startswith(en.text("handoff_queued_sms", position=3, minutes=15))


@pytest.mark.parametrize("language", ["en", "fr", "es", "pt", "sw", "ar"])
def test_a_message_in_danger_jumps_the_queue_and_shows_the_emergency_number_first(
    at_work: Services, catalogues: Catalogues, config_dir: Path, language: str
) -> None:
    run_action(ActionSmallTalk(), tracker("web:first", "a person", "human_handoff"))
    words = yaml.safe_load((config_dir / "catalogue" / "distress" / f"{language}.yml").read_text("utf-8"))
    cry = f"{words['violence'][0]}"
    locale = catalogues.locales[language]
    messages, _ = run_action(ActionHandoffDistress(), tracker("web:cry", cry, "distress", language=language))
    assert _texts(messages) == [locale.text("handoff_distress"), locale.text("handoff_urgent")]
    assert "112" in messages[0]["text"]
    waiting = at_work.handoffs.waiting(AMINA, "citizen_services")
    assert [h.conversation_id for h in waiting] == ["web:cry", "web:first"]
    assert waiting[0].trigger is Trigger.DISTRESS and waiting[0].distress == "violence"


def test_those_already_waiting_are_told_their_new_place_when_someone_in_danger_goes_first(
    at_work: Services, catalogues: Catalogues
) -> None:
    run_action(ActionSmallTalk(), tracker("web:ana", "una persona", "human_handoff", language="es"))
    sms = tracker("sms:+254700000002", "mtu", "human_handoff", channel="twilio", language="sw")
    run_action(ActionSmallTalk(), sms)
    assert at_work.handoff_outbox.take("web:ana") == [] and at_work.handoff_outbox.take(sms.sender_id) == []
    run_action(ActionHandoffDistress(), tracker("web:cry", "he is beating me", "distress", language="en"))
    # Filed before the answer to the citizen in danger: nothing waits for the next queue change.
    [ana] = at_work.handoff_outbox.take("web:ana")
    [ben] = at_work.handoff_outbox.take(sms.sender_id)
    assert (ana.kind, ana.position, ben.kind, ben.position) == (NoticeKind.PLACE, 2, NoticeKind.PLACE, 3)
    assert at_work.handoff_outbox.take("web:cry") == []  # told in the answer to their own message


def test_a_cry_for_help_in_another_language_than_the_conversation_is_heard(at_work: Services) -> None:
    run_action(ActionHandoffDistress(), tracker("web:mix", "nataka kujiua", "distress", language="en"))
    handoff = at_work.handoffs.active("web:mix")
    assert handoff is not None and handoff.distress == "self_harm"


def test_twice_not_understood_in_a_row_hands_over(at_work: Services, catalogues: Catalogues) -> None:
    en = catalogues.locales["en"]
    messages, events = run_action(
        ActionFallback(), tracker("web:lost", "blorp", "nlu_fallback", language="en")
    )
    assert messages[0]["text"] == en.text("fallback")
    assert slot_events(events)["not_understood"] is True
    assert at_work.handoffs.active("web:lost") is None
    again = tracker("web:lost", "zzzk", "nlu_fallback", language="en", slots={"not_understood": True})
    messages, events = run_action(ActionFallback(), again)
    assert _texts(messages) == [
        en.text("handoff_not_understood"),
        en.text("handoff_queued", position=1, minutes=5),
    ]
    handoff = at_work.handoffs.active("web:lost")
    assert handoff is not None and handoff.trigger is Trigger.NOT_UNDERSTOOD
    assert slot_events(events)["not_understood"] is False


def test_an_answered_turn_between_two_misunderstandings_starts_again(
    at_work: Services, catalogues: Catalogues
) -> None:
    turn = tracker("web:ok", "hello", "greet", language="en", slots={"not_understood": True})
    _, events = run_action(ActionSmallTalk(), turn)
    assert slot_events(events)["not_understood"] is False


def test_a_closed_desk_says_when_and_takes_a_message_for_the_desks_ministry(
    services: Services, live_services: Services, concern_service: ConcernService, catalogues: Catalogues
) -> None:
    services._clock = Clock(SUNDAY)
    fr = catalogues.locales["fr"]
    messages, events = run_action(
        ActionSmallTalk(),
        tracker("sms:+33600000000", "un agent", "human_handoff", channel="twilio", language="fr"),
    )
    assert messages[0]["text"].startswith(fr.text("handoff_closed", when="2026-12-07 08:00"))
    assert services.handoffs.active("sms:+33600000000") is None  # nobody to queue for
    pending = slot_events(events)["pending"]
    assert pending["kind"] == WAITING_FOR_CALLBACK and pending["ministry"] == "interior"
    yes = tracker(
        "sms:+33600000000", "oui", "affirm", channel="twilio", language="fr", slots={"pending": pending}
    )
    messages, events = run_action(ActionConfirm(), yes)
    name = fr.ministry_names["interior"]
    assert messages[0]["text"].startswith(fr.text("handoff_leave_message_sms", ministry=name))
    pending = slot_events(events)["pending"]
    assert pending["kind"] == WAITING_FOR_MESSAGE
    words = "Rappelez-moi au sujet de ma carte d'identité, je n'ai pas de réponse depuis un mois."
    message = tracker(
        "sms:+33600000000",
        words,
        "service_overview",
        channel="twilio",
        language="fr",
        slots={"pending": pending},
    )
    messages, _ = run_action(ActionSmallTalk(), message)
    [concern] = _all(concern_service)
    assert concern.ministry == "interior" and concern.contact_consent and concern.language == "fr"
    assert messages[0]["text"].startswith(
        fr.text("handoff_message_filed", ministry=name, ticket=concern.ticket)
    )


def _all(service: ConcernService) -> list[Any]:
    from bot.concerns.model import ConcernFilter

    return service.store.find(ConcernFilter())[0]


def test_no_to_a_message_leaves_nothing(
    services: Services, live_services: Services, concern_service: ConcernService, catalogues: Catalogues
) -> None:
    services._clock = Clock(SUNDAY)
    _, events = run_action(ActionSmallTalk(), tracker("web:no", "a person", "human_handoff", language="en"))
    no = tracker("web:no", "no", "deny", language="en", slots={"pending": slot_events(events)["pending"]})
    messages, _ = run_action(ActionConfirm(), no)
    assert messages[0]["text"] == catalogues.locales["en"].text("handoff_no_message")
    assert _all(concern_service) == []


def test_a_rating_of_a_conversation_not_ended_is_not_stored(at_work: Services) -> None:
    ticket = at_work.handoffs.ask("web:ana", "socketio", "es", Trigger.ASKED)
    pending = {"kind": WAITING_FOR_RATING, "handoff_id": ticket.handoff.handoff_id}
    run_action(ActionChooseOption(), tracker("web:ana", "5", "choose_option", slots={"pending": pending}))
    stored = at_work.handoffs._store.get(ticket.handoff.handoff_id)
    assert stored is not None and stored.rating is None


def test_stop_and_delete_are_heard_even_while_a_handoff_question_waits(at_work: Services) -> None:
    assert {"unsubscribe_alerts", "delete_my_data"} <= ALWAYS_HEARD
    pending = {"kind": WAITING_FOR_MESSAGE, "ministry": "interior"}
    stop = tracker("web:ana", "STOP", "unsubscribe_alerts", slots={"pending": pending})
    from actions.subscriptions import ActionUnsubscribeAlerts

    messages, _ = run_action(ActionUnsubscribeAlerts(), stop)
    assert messages and "interior" not in messages[0]["text"]


def test_asking_for_a_person_inside_a_report_queues_at_its_desk_and_leaves_the_report(
    at_work: Services, catalogues: Catalogues
) -> None:
    inside = tracker(
        "web:ana",
        "quiero hablar con una persona",
        "human_handoff",
        slots={"concern_category": "health", "requested_slot": "concern_description"},
    )
    inside.active_loop = {"name": "concern_form"}
    messages, events = run_action(ActionHandoffInReport(), inside)
    assert _texts(messages)[0].startswith(
        catalogues.locales["es"].text("handoff_queued", position=1, minutes=5)[:30]
    )
    handoff = at_work.handoffs.active("web:ana")
    assert handoff is not None and handoff.desk == "health_line"
    assert ActiveLoop(None) in events  # the report is left (data/rules.yml)
    assert slot_events(events)["requested_slot"] is None
