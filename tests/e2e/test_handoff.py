"""A person when the assistant is not enough, the citizen's side, through the running stack: the web
chat (socket.io), SMS (Twilio stand-in) and USSD (Africa's Talking stand-in; the person's words come
by SMS). The test plays the desk with the same services the inbox uses (claim, tell, end): every
word to the citizen goes through the outbox, Rasa's execute route and ``action_handoff_relay``.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import websockets
import yaml

from bot import redis_keys
from bot.alerts.model import utc_now
from bot.catalogue.bundle import Catalogues
from bot.concerns.ticket import find_ticket
from bot.handoff.model import EndReason, Handoff, Status
from bot.handoff.relay import CitizenNotice, NoticeKind
from bot.handoff.service import Agent
from bot.i18n.messages import Locale
from bot.identity import web_conversation_id
from bot.runtime.stack import Stack
from bot.services import Services
from bot.subscriptions.store import subscriber_id
from tests.e2e.conftest import AUTH_TOKEN, RASA, TWILIO_SMS_NUMBER, Citizen, ProviderStandIn, get
from tests.e2e.test_socketio import SOCKET_URL, SocketChat
from tests.e2e.test_twilio import MESSAGES, _post
from tests.e2e.test_ussd_sms import UssdSession, _in_language, _option, _post_form, _sms_to

DESK = "citizen_services"
AMINA = Agent("e2e-amina", frozenset({DESK}))
QUIET_SECONDS = 4.0


@pytest.fixture()
def desk(stack: Stack) -> Services:
    """The desk's side (the inbox's services), with the general desk's queue empty: other tests ask
    for people too."""
    services = Services(stack.settings)
    services.redis.delete(redis_keys.handoffs_waiting(DESK))
    return services


def said(locale: Locale, key: str, text: str, **values: Any) -> bool:
    """Whether ``text`` holds the message ``key`` with ``values`` (any expected wait)."""
    pattern = re.escape(locale.messages[key])
    for name, value in values.items():
        pattern = pattern.replace(re.escape("{" + name + "}"), re.escape(str(value)))
    pattern = pattern.replace(re.escape("{minutes}"), r"\d+")
    return re.search(pattern, text) is not None


def _active(desk: Services, conversation: str, wait: float = 10) -> Handoff:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        found = desk.handoffs.active(conversation)
        if found is not None:
            return found
        time.sleep(0.1)
    raise AssertionError(f"no handoff for {conversation}")


def _claim(desk: Services, conversation: str) -> Handoff:
    """Claim the conversation and tell the citizen (what the inbox does)."""
    handoff = _active(desk, conversation)
    claimed, places = desk.handoffs.claim(AMINA, handoff.handoff_id)
    assert desk.handoff_notifier.tell(claimed, CitizenNotice(NoticeKind.CLAIMED, claimed.handoff_id))
    desk.handoff_notifier.tell_places(places)
    return claimed


def _reply(desk: Services, handoff: Handoff, text: str) -> None:
    notice = CitizenNotice(NoticeKind.AGENT_REPLY, handoff.handoff_id, text=text)
    assert desk.handoff_notifier.tell(desk.handoffs.may_reply(AMINA, handoff.handoff_id), notice)


def _end(desk: Services, handoff: Handoff) -> None:
    ended = desk.handoffs.end(AMINA, handoff.handoff_id, EndReason.RESOLVED)
    assert desk.handoff_notifier.tell(ended, CitizenNotice(NoticeKind.ENDED, ended.handoff_id))


def _stored(desk: Services, handoff: Handoff) -> Handoff:
    found = desk.handoffs._store.get(handoff.handoff_id)
    assert found is not None
    return found


def _events(conversation: str) -> list[dict[str, Any]]:
    status, body, _ = get(f"{RASA}/conversations/{conversation}/tracker?token={AUTH_TOKEN}")
    assert status == 200, body
    return list(json.loads(body)["events"])


# The web chat ------------------------------------------------------------------------------------


async def _bot(chat: SocketChat, wait: float = 30) -> dict[str, Any]:
    while True:
        name, message = await asyncio.wait_for(chat._event(), wait)
        if name == "bot_uttered":
            return dict(message)


async def _quiet(chat: SocketChat, seconds: float = QUIET_SECONDS) -> bool:
    try:
        await _bot(chat, seconds)
    except asyncio.TimeoutError:
        return True
    return False


async def _web_citizen(desk: Services, catalogues: Catalogues) -> None:
    es = catalogues.locales["es"]
    async with websockets.connect(SOCKET_URL) as connection:
        chat = SocketChat(connection)
        await chat.open()
        conversation = web_conversation_id(chat.session_id)
        [queued] = await chat.say("Quiero hablar con una persona, por favor", {"language": "es"})
        assert said(es, "handoff_queued", queued["text"], position=1), queued
        handoff = await asyncio.to_thread(_claim, desk, conversation)
        assert (await _bot(chat))["text"] == es.text("handoff_claimed")
        words = "Hola, soy Amina, del servicio al ciudadano. ¿En qué le puedo ayudar?"
        await asyncio.to_thread(_reply, desk, handoff, words)
        assert (await _bot(chat))["text"] == words  # verbatim, on the socket

        await chat.emit(
            "user_uttered",
            {"message": "¿Cuánto cuesta el pasaporte?", "session_id": chat.session_id, "metadata": {}},
        )
        assert await _quiet(chat)  # a person holds the conversation: the assistant sends nothing
        events = await asyncio.to_thread(_events, conversation)
        assert [e["text"] for e in events if e["event"] == "user"][-1] == "¿Cuánto cuesta el pasaporte?"

        await asyncio.to_thread(_end, desk, handoff)
        rating = await _bot(chat)
        assert rating["text"] == es.text("handoff_ended")
        assert [r["title"] for r in rating["quick_replies"]] == ["1", "2", "3", "4", "5"]
        [comment] = await chat.say("4", {})
        assert comment["text"] == es.text("handoff_comment_ask")
        [thanks] = await chat.say("Muy amable, gracias", {})
        assert thanks["text"] == es.text("handoff_comment_thanks")
        answer = await chat.say("¿Cuánto cuesta el pasaporte?", {})
        assert catalogues.services.text("passport", "es").answer("fee") in answer[0]["text"]
    stored = _stored(desk, handoff)
    assert stored.status is Status.ENDED and stored.rating == 4 and stored.comment == "Muy amable, gracias"


def test_a_spanish_web_citizen_talks_to_a_person_and_the_assistant_comes_back(
    desk: Services, catalogues: Catalogues
) -> None:
    asyncio.run(_web_citizen(desk, catalogues))


async def _stop_while_held(desk: Services, catalogues: Catalogues) -> None:
    es = catalogues.locales["es"]
    async with websockets.connect(SOCKET_URL) as connection:
        chat = SocketChat(connection)
        await chat.open()
        conversation = web_conversation_id(chat.session_id)
        subscriber = subscriber_id("socketio", conversation)
        desk.subscriptions.subscribe(subscriber, "coast", (), "es", utc_now())
        await chat.say("Quiero hablar con una persona", {"language": "es"})
        handoff = await asyncio.to_thread(_claim, desk, conversation)
        assert (await _bot(chat))["text"] == es.text("handoff_claimed")
        answer = await chat.say("STOP", {})
        assert answer[0]["text"] == es.text("unsubscribed_all"), answer
    assert desk.subscriptions.get(subscriber) is None  # STOP still unsubscribes
    assert _stored(desk, handoff).status is Status.ENDED  # and ends the handoff
    assert desk.handoffs.active(conversation) is None


def test_stop_works_while_a_person_holds_the_conversation(desk: Services, catalogues: Catalogues) -> None:
    asyncio.run(_stop_while_held(desk, catalogues))


async def _message_in_the_instant_after_the_claim(desk: Services, catalogues: Catalogues) -> None:
    es = catalogues.locales["es"]
    async with websockets.connect(SOCKET_URL) as connection:
        chat = SocketChat(connection)
        await chat.open()
        conversation = web_conversation_id(chat.session_id)
        await chat.say("Quiero hablar con una persona", {"language": "es"})
        waiting = await asyncio.to_thread(_active, desk, conversation)
        # The claim is recorded; the relay has not run yet (nothing told, nothing paused): the instant
        # between a person taking the conversation and Rasa's pause, held open.
        claimed, _ = await asyncio.to_thread(desk.handoffs.claim, AMINA, waiting.handoff_id)
        live = desk.redis.pubsub(ignore_subscribe_messages=True)
        live.subscribe(redis_keys.handoff_live(DESK))
        await chat.emit(
            "user_uttered",
            {"message": "¿Cuánto cuesta el pasaporte?", "session_id": chat.session_id, "metadata": {}},
        )
        assert await _quiet(chat)  # a person holds it: the assistant does not answer
        assert await asyncio.to_thread(_desk_heard, live, claimed.handoff_id)  # the desk hears it
        live.close()
        events = await asyncio.to_thread(_events, conversation)
        assert [e["text"] for e in events if e["event"] == "user"][-1] == "¿Cuánto cuesta el pasaporte?"
        # Then the claim's notice arrives, and the conversation stays the person's.
        notice = CitizenNotice(NoticeKind.CLAIMED, claimed.handoff_id)
        assert await asyncio.to_thread(desk.handoff_notifier.tell, claimed, notice)
        assert (await _bot(chat))["text"] == es.text("handoff_claimed")
        await chat.emit("user_uttered", {"message": "¿Hola?", "session_id": chat.session_id, "metadata": {}})
        assert await _quiet(chat)
        await asyncio.to_thread(_end, desk, claimed)
        assert (await _bot(chat))["text"] == es.text("handoff_ended")


def test_a_message_in_the_instant_after_a_claim_gets_no_assistant_answer(
    desk: Services, catalogues: Catalogues
) -> None:
    """Rasa's pause comes with the claim's notice (``action_handoff_relay``), a moment after the claim
    is recorded: a message in between must not be answered by the assistant."""
    asyncio.run(_message_in_the_instant_after_the_claim(desk, catalogues))


# SMS ---------------------------------------------------------------------------------------------


class SmsReader:
    """A phone whose SMS are read from a provider's stand-in: the calls to ``path`` addressed to it
    (``to`` field), their text in ``body``."""

    path = MESSAGES
    to, body = "To", "Body"

    def __init__(self, stand_in: ProviderStandIn, phone: str) -> None:
        self.phone = phone
        self.stand_in = stand_in
        self.seen = len(stand_in.calls_to(self.path))

    def received(self, wait: float = 20) -> str:
        """The next SMS to this phone."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            calls = self.stand_in.calls_to(self.path)
            mine = [(i, c) for i, c in enumerate(calls) if i >= self.seen and c.get(self.to) == self.phone]
            if mine:
                index, call = mine[0]
                self.seen = index + 1
                return str(call[self.body])
            time.sleep(0.1)
        raise AssertionError(f"no SMS to {self.phone}")

    def quiet(self, seconds: float = QUIET_SECONDS) -> bool:
        try:
            self.received(seconds)
        except AssertionError:
            return True
        return False


class SmsCitizen(SmsReader):
    """A phone writing to the Twilio number; what it receives is read from the stand-in."""

    def __init__(self, stand_in: ProviderStandIn) -> None:
        super().__init__(stand_in, f"+25471{uuid.uuid4().int % 10_000_000:07d}")
        self.conversation = f"sms:{self.phone}"

    def send(self, text: str) -> None:
        form = {"From": self.phone, "To": TWILIO_SMS_NUMBER, "Body": text, "MessageSid": uuid.uuid4().hex}
        assert _post("twilio", form) == 200

    def say(self, text: str) -> str:
        self.send(text)
        return self.received()


def test_an_sms_citizen_talks_to_a_person_by_sms(
    desk: Services, telegram_api: ProviderStandIn, catalogues: Catalogues
) -> None:
    es = catalogues.locales["es"]
    citizen = SmsCitizen(telegram_api)
    assert said(es, "handoff_queued_sms", citizen.say("Quiero hablar con una persona"), position=1)
    handoff = _claim(desk, citizen.conversation)
    assert citizen.received().startswith(es.text("handoff_claimed_sms"))
    _reply(desk, handoff, "Buenas tardes, le escucho.")
    assert citizen.received() == "Buenas tardes, le escucho."
    citizen.send("Mi pasaporte no llega")
    assert citizen.quiet()  # neither an answer nor a "try again": a person holds it
    _end(desk, handoff)
    rating = citizen.received()
    assert rating.startswith(es.text("handoff_ended")) and "5." in rating
    assert citizen.say("5").startswith(es.text("handoff_comment_ask"))
    assert citizen.say("Gracias").startswith(es.text("handoff_comment_thanks"))
    assert catalogues.services.text("passport", "es").answer("fee")[:40] in citizen.say(
        "¿Cuánto cuesta el pasaporte?"
    )
    assert _stored(desk, handoff).rating == 5


def test_three_waiting_see_1_2_3_and_move_up_when_the_first_is_claimed(
    desk: Services, telegram_api: ProviderStandIn, catalogues: Catalogues
) -> None:
    en = catalogues.locales["en"]
    citizens = [SmsCitizen(telegram_api) for _ in range(3)]
    for place, citizen in enumerate(citizens, 1):
        assert said(en, "handoff_queued_sms", citizen.say("I want to talk to a person"), position=place)
    _claim(desk, citizens[0].conversation)
    assert citizens[0].received().startswith(en.text("handoff_claimed_sms"))
    assert said(en, "handoff_place", citizens[1].received(), position=1)
    assert said(en, "handoff_place", citizens[2].received(), position=2)


# USSD --------------------------------------------------------------------------------------------


def test_a_ussd_citizen_gets_the_persons_words_by_sms_and_answers_and_rates_by_sms(
    desk: Services, telegram_api: ProviderStandIn, catalogues: Catalogues
) -> None:
    es = catalogues.locales["es"]
    phone = f"+25472{uuid.uuid4().int % 10_000_000:07d}"
    session = _in_language(phone, "es", catalogues)
    home = session.step("00")
    page = home
    while es.text("menu_person")[:20] not in page:
        page = session.step("98")
    screen = session.step(_option(page, es.text("menu_person")))
    assert said(es, "handoff_queued_sms", " ".join(screen[4:].split()), position=1), screen
    before = len(telegram_api.calls_to("/version1/messaging"))
    handoff = _claim(desk, f"ussd:{phone}")
    [claimed] = _sms_to(telegram_api, phone, before)
    assert claimed["message"] == es.text("handoff_claimed_sms")
    before = len(telegram_api.calls_to("/version1/messaging"))
    _reply(desk, handoff, "Hola, le llamo en cinco minutos.")
    [words] = _sms_to(telegram_api, phone, before)
    assert words["message"] == "Hola, le llamo en cinco minutos."
    again = UssdSession(phone).step()  # dialling again while held: told the words were passed on
    assert " ".join(es.text("handoff_held_sms").split())[:60] in " ".join(again[4:].split())

    # The citizen answers the person by SMS: it reaches the conversation the desk holds.
    live = desk.redis.pubsub(ignore_subscribe_messages=True)
    live.subscribe(redis_keys.handoff_live(DESK))
    before = len(telegram_api.calls_to("/version1/messaging"))
    assert _at_sms(phone, "Gracias, espero su llamada.") == 200
    assert _desk_heard(live, handoff.handoff_id)
    assert "Gracias, espero su llamada." in _user_texts(f"ussd:{phone}")
    assert "Gracias, espero su llamada." not in _user_texts(f"sms:{phone}")
    assert _sms_to(telegram_api, phone, before, wait=QUIET_SECONDS) == []  # a person holds it: silence
    live.close()
    before = len(telegram_api.calls_to("/version1/messaging"))
    _reply(desk, handoff, "Perfecto, hasta ahora.")
    [words] = _sms_to(telegram_api, phone, before)
    assert words["message"] == "Perfecto, hasta ahora."

    before = len(telegram_api.calls_to("/version1/messaging"))
    _end(desk, handoff)
    [rating] = _sms_to(telegram_api, phone, before)
    assert rating["message"].startswith(es.text("handoff_ended"))
    # The rating asked by SMS is answered by SMS, and stored.
    before = len(telegram_api.calls_to("/version1/messaging"))
    assert _at_sms(phone, "4") == 200
    [comment] = _sms_to(telegram_api, phone, before)
    assert comment["message"].startswith(es.text("handoff_comment_ask"))
    before = len(telegram_api.calls_to("/version1/messaging"))
    assert _at_sms(phone, "Muy amable") == 200
    [thanks] = _sms_to(telegram_api, phone, before)
    assert thanks["message"].startswith(es.text("handoff_comment_thanks"))
    stored = _stored(desk, handoff)
    assert (stored.rating, stored.comment) == (4, "Muy amable")
    # Done: the number's next SMS is its own SMS conversation again.
    assert _at_sms(phone, "Hola") == 200
    assert "Hola" in _user_texts(f"sms:{phone}") and "Hola" not in _user_texts(f"ussd:{phone}")


def _at_sms(phone: str, text: str) -> int:
    """An SMS from ``phone`` as Africa's Talking delivers it (with the callback token)."""
    form = {"from": phone, "to": "21525", "text": text, "id": uuid.uuid4().hex}
    status, _ = _post_form("/webhooks/africastalking/webhook", form)
    return status


def _user_texts(conversation: str) -> list[str]:
    return [str(e.get("text")) for e in _events(conversation) if e.get("event") == "user"]


def _desk_heard(live: Any, handoff_id: str, wait: float = 15) -> bool:
    """Whether the desk's live channel told the inbox of a citizen message of ``handoff_id``."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        message = live.get_message(timeout=0.5)
        if message is None:
            continue
        event = json.loads(message["data"])
        if event == {"kind": "citizen_message", "handoff_id": handoff_id}:
            return True
    return False


# Outside hours and danger ------------------------------------------------------------------------


@pytest.fixture()
def closed_today(stack: Stack) -> Iterator[str]:
    """The general desk closed today and tomorrow (holidays); when it opens next, as the citizen is told."""
    path = stack.settings.desks_file
    assert path is not None
    kept = path.read_text(encoding="utf-8")
    desks = yaml.safe_load(kept)
    zone = ZoneInfo(desks["timezone"])
    today = datetime.now(zone).date()
    desks["desks"][DESK].update(
        hours={day: ["08:00-17:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        holidays=[today, today + timedelta(days=1)],
    )
    path.write_text(yaml.safe_dump(desks), encoding="utf-8")
    try:
        yield f"{today + timedelta(days=2)} 08:00"
    finally:
        path.write_text(kept, encoding="utf-8")


def test_outside_hours_the_message_left_becomes_a_concern_of_the_desks_ministry(
    desk: Services, closed_today: str, catalogues: Catalogues
) -> None:
    es = catalogues.locales["es"]
    citizen = Citizen({"language": "es"})
    closed = citizen.say("Quiero hablar con una persona")
    assert closed[-1]["text"] == es.text("handoff_closed", when=closed_today)
    assert desk.handoffs.active(citizen.conversation) is None
    asked = citizen.text("sí")
    ministry = es.ministry_names["interior"]
    assert asked.startswith(es.text("handoff_leave_message", ministry=ministry))
    filed = citizen.text("Necesito que me llamen por mi certificado de nacimiento, lleva dos meses.")
    ticket = find_ticket(filed)
    assert ticket is not None, filed
    concern = desk.concerns.store.get(ticket)
    assert concern.ministry == "interior" and concern.language == "es" and concern.category == "other"
    assert concern.contact_consent and concern.original  # the ministry may read it and call back
    assert filed.startswith(es.text("handoff_message_filed", ministry=ministry, ticket=concern.ticket))


CRIES = {
    "en": ("I need help, {}", "violence"),
    "fr": ("Aidez-moi, {}", "self_harm"),
    "es": ("Por favor, {}", "medical_emergency"),
    "pt": ("Socorro, {}", "violence"),
    "sw": ("Nisaidie, {}", "self_harm"),
    "ar": ("ساعدوني، {}", "medical_emergency"),
}


def test_danger_in_each_language_jumps_the_queue_with_the_emergency_number_first(
    desk: Services, catalogues: Catalogues, config_dir: Path
) -> None:
    first = Citizen({"language": "en"})
    first.say("I would like to talk to a person")
    for language, (frame, kind) in CRIES.items():
        words = yaml.safe_load((config_dir / "catalogue" / "distress" / f"{language}.yml").read_text("utf-8"))
        locale = catalogues.locales[language]
        citizen = Citizen({"language": language})
        replies = citizen.say(frame.format(words[kind][0]))
        assert replies[0]["text"] == locale.text("handoff_distress") and "112" in replies[0]["text"]
        waiting = desk.handoffs.waiting(AMINA, DESK)
        assert waiting[0].conversation_id != first.conversation
        assert waiting[-1].conversation_id == first.conversation  # everyone in danger goes before
        mine = desk.handoffs.active(citizen.conversation)
        assert mine is not None and mine.urgent and mine.distress == kind


async def _danger_moves_the_others_back(
    desk: Services, telegram_api: ProviderStandIn, catalogues: Catalogues, config_dir: Path
) -> None:
    sw, fr = catalogues.locales["sw"], catalogues.locales["fr"]
    sms = SmsCitizen(telegram_api)
    queued = await asyncio.to_thread(sms.say, "Nataka kuzungumza na mtu, tafadhali")
    assert said(sw, "handoff_queued_sms", queued, position=1), queued
    async with websockets.connect(SOCKET_URL) as connection:
        web = SocketChat(connection)
        await web.open()
        [queued_web] = await web.say("Je voudrais parler à une personne", {"language": "fr"})
        assert said(fr, "handoff_queued", queued_web["text"], position=2), queued_web

        words = yaml.safe_load((config_dir / "catalogue" / "distress" / "en.yml").read_text("utf-8"))
        cry = Citizen({"language": "en"})
        replies = await asyncio.to_thread(cry.say, f"I need help, {words['violence'][0]}")
        assert replies[0]["text"] == catalogues.locales["en"].text("handoff_distress")
        asked = time.monotonic()
        # At once, each in their language on their channel: nobody else has changed the queue.
        assert said(fr, "handoff_place", (await _bot(web, 10))["text"], position=3)
        assert said(sw, "handoff_place", await asyncio.to_thread(sms.received, 10), position=2)
        assert time.monotonic() - asked < 10
    waiting = desk.handoffs.waiting(AMINA, DESK)
    assert [h.conversation_id for h in waiting][:1] == [cry.conversation]


def test_those_waiting_are_told_their_new_place_at_once_when_someone_in_danger_goes_first(
    desk: Services, telegram_api: ProviderStandIn, catalogues: Catalogues, config_dir: Path
) -> None:
    asyncio.run(_danger_moves_the_others_back(desk, telegram_api, catalogues, config_dir))


def test_danger_written_inside_a_report_leaves_the_report_for_a_person(
    desk: Services, catalogues: Catalogues
) -> None:
    es = catalogues.locales["es"]
    citizen = Citizen({"language": "es"})
    asked = citizen.say("Quiero reportar un problema")
    assert asked[0]["text"] == es.text("concern_ask_category")
    water = next(
        b for b in asked[0]["buttons"] if b["title"] == es.concern_category_names["water_sanitation"]
    )
    assert citizen.text(water["payload"]) == es.text("concern_ask_description")
    replies = citizen.say("Por favor ayúdenme, mi esposo me está pegando y dice que me va a matar")
    assert replies[0]["text"] == es.text("handoff_distress")
    mine = desk.handoffs.active(citizen.conversation)
    assert mine is not None and mine.urgent and mine.distress == "violence"
    assert citizen.slot("concern_description") is None  # the words are not the report's answer


def test_asking_for_a_person_in_the_middle_of_a_report_hands_over_to_its_desk(
    desk: Services, catalogues: Catalogues
) -> None:
    """The words are the citizen's request, not the report's description: they join the queue of the
    desk of what they were reporting."""
    es = catalogues.locales["es"]
    desk.redis.delete(redis_keys.handoffs_waiting("health_line"))
    citizen = Citizen({"language": "es"})
    asked = citizen.say("Quiero reportar un problema")
    health = next(b for b in asked[0]["buttons"] if b["title"] == es.concern_category_names["health"])
    assert citizen.text(health["payload"]) == es.text("concern_ask_description")
    queued = citizen.text("Quiero hablar con una persona")
    assert said(es, "handoff_queued", queued, position=1), queued
    mine = desk.handoffs.active(citizen.conversation)
    assert mine is not None and mine.desk == "health_line"
    assert citizen.slot("concern_description") is None
