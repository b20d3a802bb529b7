"""The citizen's side of a handoff to a person, run in memory against the real test Redis: asking in
any language, the queue, danger first with the emergency number, twice not understood, a closed desk
and the message left for a call back, and what the desk's notices say (pause, words, end, rating)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker

from actions.confirm import ActionConfirm
from actions.conversation import ActionFallback, ActionSmallTalk
from actions.handoff import ActionHandoffRelay
from actions.routing import ActionChooseOption
from bot.assistant.handoff import WAITING_FOR_CALLBACK, WAITING_FOR_MESSAGE, WAITING_FOR_RATING
from bot.catalogue.bundle import Catalogues
from bot.concerns.service import ConcernService
from bot.handoff.model import EndReason, Status, Trigger
from bot.handoff.relay import CitizenNotice, NoticeKind
from bot.handoff.service import Agent
from bot.services import Services
from tests.actions.conftest import run_action, slot_events

TUESDAY_MORNING = datetime(2026, 12, 1, 7, 0, tzinfo=timezone.utc)  # 10:00 in Nairobi: open
SUNDAY = datetime(2026, 12, 6, 7, 0, tzinfo=timezone.utc)  # the general desk is closed
AMINA = Agent("amina", frozenset({"citizen_services"}))


def tracker(
    sender: str,
    text: str,
    intent: str,
    *,
    channel: str = "socketio",
    language: str = "es",
    slots: dict[str, Any] | None = None,
) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [], "metadata": {}}
    events = [{"event": "user", "text": text, "parse_data": latest, "input_channel": channel}]
    return Tracker(
        sender_id=sender,
        slots={"language": language, **(slots or {})},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


class Clock:
    """Time that moves on a second each time it is read (citizens ask one after another)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        self.at += timedelta(seconds=1)
        return self.at


@pytest.fixture()
def at_work(services: Services, live_services: Services) -> Services:
    services._clock = Clock(TUESDAY_MORNING)
    return services


def _texts(messages: list[dict[str, Any]]) -> list[str]:
    return [str(m.get("text") or "") for m in messages]


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
    messages, _ = run_action(ActionFallback(), tracker("web:cry", cry, "nlu_fallback", language=language))
    assert _texts(messages) == [locale.text("handoff_distress"), locale.text("handoff_urgent")]
    assert "112" in messages[0]["text"]
    waiting = at_work.handoffs.waiting(AMINA, "citizen_services")
    assert [h.conversation_id for h in waiting] == ["web:cry", "web:first"]
    assert waiting[0].trigger is Trigger.DISTRESS and waiting[0].distress == "violence"


def test_a_cry_for_help_in_another_language_than_the_conversation_is_heard(at_work: Services) -> None:
    run_action(ActionFallback(), tracker("web:mix", "nataka kujiua", "nlu_fallback", language="en"))
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


def _relay(sender: str, channel: str, language: str = "es", slots: dict[str, Any] | None = None) -> Tracker:
    return tracker(sender, "hola", "greet", channel=channel, language=language, slots=slots)


def test_the_desks_notices_pause_speak_verbatim_resume_and_ask_for_a_rating(
    at_work: Services, catalogues: Catalogues
) -> None:
    es = catalogues.locales["es"]
    ticket = at_work.handoffs.ask("web:ana", "socketio", "es", Trigger.ASKED)
    handoff, _ = at_work.handoffs.claim(AMINA, ticket.handoff.handoff_id)
    outbox = at_work.handoff_outbox
    outbox.put("web:ana", CitizenNotice(NoticeKind.CLAIMED, handoff.handoff_id))
    outbox.put(
        "web:ana",
        CitizenNotice(NoticeKind.AGENT_REPLY, handoff.handoff_id, text="Hola, soy Amina. ¿En qué le ayudo?"),
    )
    messages, events = run_action(ActionHandoffRelay(), _relay("web:ana", "socketio"))
    assert _texts(messages) == [es.text("handoff_claimed"), "Hola, soy Amina. ¿En qué le ayudo?"]
    assert events[-1]["event"] == "pause"
    assert not [e for e in events if e["event"] == "followup"]  # the citizen's next message is not silenced
    assert run_action(ActionHandoffRelay(), _relay("web:ana", "socketio")) == ([], [])  # each said once

    at_work.handoffs.end(AMINA, handoff.handoff_id, EndReason.RESOLVED)
    outbox.put("web:ana", CitizenNotice(NoticeKind.ENDED, handoff.handoff_id))
    messages, events = run_action(ActionHandoffRelay(), _relay("web:ana", "socketio"))
    assert _texts(messages) == [es.text("handoff_ended")]
    assert [b["title"] for b in messages[0]["buttons"]] == ["1", "2", "3", "4", "5"]
    assert events[-1]["event"] == "resume"
    pending = slot_events(events)["pending"]
    assert pending == {"kind": WAITING_FOR_RATING, "handoff_id": handoff.handoff_id}

    four = tracker("web:ana", "4", "choose_option", slots={"pending": pending})
    messages, events = run_action(ActionChooseOption(), four)
    assert _texts(messages) == [es.text("handoff_comment_ask")]
    comment = tracker(
        "web:ana", "Muy amable, gracias", "thank", slots={"pending": slot_events(events)["pending"]}
    )
    messages, _ = run_action(ActionSmallTalk(), comment)
    assert _texts(messages) == [es.text("handoff_comment_thanks")]
    rated = at_work.handoffs._store.get(handoff.handoff_id)
    assert rated is not None and rated.rating == 4 and rated.comment == "Muy amable, gracias"


def test_a_ussd_citizen_is_told_in_the_sms_wording_numbered(
    at_work: Services, catalogues: Catalogues
) -> None:
    sw = catalogues.locales["sw"]
    ticket = at_work.handoffs.ask("ussd:+254700000009", "ussd", "sw", Trigger.ASKED)
    at_work.handoff_outbox.put(
        "ussd:+254700000009", CitizenNotice(NoticeKind.CLAIMED, ticket.handoff.handoff_id)
    )
    at_work.handoff_outbox.put(
        "ussd:+254700000009",
        CitizenNotice(NoticeKind.PLACE, ticket.handoff.handoff_id, position=2, expected_wait_seconds=600),
    )
    messages, _ = run_action(ActionHandoffRelay(), _relay("ussd:+254700000009", "ussd", language="sw"))
    assert _texts(messages) == [
        sw.text("handoff_claimed_sms"),
        sw.text("handoff_place", position=2, minutes=10),
    ]


def test_a_rating_of_a_conversation_not_ended_is_not_stored(at_work: Services) -> None:
    ticket = at_work.handoffs.ask("web:ana", "socketio", "es", Trigger.ASKED)
    pending = {"kind": WAITING_FOR_RATING, "handoff_id": ticket.handoff.handoff_id}
    run_action(ActionChooseOption(), tracker("web:ana", "5", "choose_option", slots={"pending": pending}))
    stored = at_work.handoffs._store.get(ticket.handoff.handoff_id)
    assert stored is not None and stored.rating is None
