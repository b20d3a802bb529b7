"""Each attack of issue 14, replayed against the running stack (real Rasa, action server, web app and
Redis), with what the attacker and the citizen now get."""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import psutil
import redis
import websockets
from websockets.typing import Origin

from bot import redis_keys
from bot.alerts.model import utc_now
from bot.catalogue.bundle import Catalogues
from bot.handoff.model import Status, Trigger
from bot.handoff.service import Agent
from bot.identity import web_conversation_id
from bot.runtime.stack import Stack
from bot.services import Services
from tests.e2e.conftest import (
    ACTION_PORT,
    ACTION_TOKEN,
    AT_CALLBACK_TOKEN,
    AUTH_TOKEN,
    E2E_REDIS_URL,
    FACEBOOK_SECRET,
    LOG_DIR,
    RASA,
    TELEGRAM_SECRET,
    TWILIO_SMS_NUMBER,
    TWILIO_TOKEN,
    WEB,
    WIDGET_ORIGIN,
    Citizen,
    get,
    post_json,
    rasa_log,
    records,
)
from tests.e2e.test_socketio import SOCKET_URL, SocketChat
from tests.e2e.test_twilio import _post as _twilio_post
from tests.e2e.test_ussd_sms import UssdSession, _post_form

ACTION_SERVER = f"http://127.0.0.1:{ACTION_PORT}"


def _tracker(conversation: str) -> dict[str, Any]:
    quoted = urllib.parse.quote(conversation, safe="+:")
    status, body, _ = get(f"{RASA}/conversations/{quoted}/tracker?token={AUTH_TOKEN}")
    assert status == 200, body
    return dict(json.loads(body))


def _user_texts(conversation: str) -> list[str]:
    return [str(e.get("text")) for e in _tracker(conversation)["events"] if e.get("event") == "user"]


def test_a_rest_call_with_a_ussd_citizen_s_number_reaches_nothing_of_theirs(
    stack: Stack, catalogues: Catalogues
) -> None:
    phone = "+254700100200"
    client = redis.Redis.from_url(E2E_REDIS_URL)
    ussd = UssdSession(phone)
    ussd.step()
    ussd.step("Zawadi Wanjiru on the Ziwani road")  # typed into their own conversation
    subscriptions = records().subscriptions
    subscriptions.subscribe("africastalking:ussd:" + phone, "coast", (), "en", utc_now())
    before = _user_texts("ussd:" + phone)
    assert "Zawadi Wanjiru on the Ziwani road" in before

    for sender in (phone, "ussd:" + phone, "africastalking:" + phone):
        attacker = Citizen({"language": "en"})
        attacker.sender = sender
        attacker.conversation = "rest:" + sender
        read = attacker.text("what did I write before?")
        assert "Zawadi" not in read and "Ziwani" not in read
        assert attacker.text("delete my data") == catalogues.locales["en"].text("delete_data_confirm")
        assert attacker.text("yes") == catalogues.locales["en"].text("delete_data_done")
        # the caller cannot name another input channel either: pushes would go out by SMS to `sender`
        status, _ = post_json(
            f"{RASA}/webhooks/rest/webhook",
            {"sender": sender, "message": "hello", "input_channel": "africastalking"},
        )
        assert status == 200
        assert _tracker("rest:" + sender)["latest_input_channel"] == "rest"

    time.sleep(11)  # past the delay after which "delete my data" removes a conversation
    from bot.subscriptions.forget import forget_due

    forget_due(client)
    assert _user_texts("ussd:" + phone)[: len(before)] == before  # the citizen's conversation is intact
    kept = subscriptions.get("africastalking:ussd:" + phone)
    assert kept is not None and [s.region for s in kept.subscriptions] == ["coast"]
    subscriptions.unsubscribe("africastalking:ussd:" + phone)


def test_only_the_gateway_s_sms_from_the_number_reaches_a_handed_over_ussd_conversation(
    stack: Stack,
) -> None:
    """While a USSD citizen's conversation is held by a person, their SMS reach it; a REST caller
    naming the number (or the ``ussd:`` id), a Twilio SMS from the same number, an Africa's Talking
    callback without the right token, or from another number never do."""
    phone = "+254700500600"
    services = Services(stack.settings)
    ticket = services.handoffs.ask("ussd:" + phone, "ussd", "en", Trigger.ASKED)
    assert ticket.open and ticket.handoff.status is Status.WAITING
    desk = Agent("e2e-attacks", frozenset({ticket.handoff.desk}))
    services.handoffs.claim(desk, ticket.handoff.handoff_id)
    try:
        for sender in (phone, "ussd:" + phone, "africastalking:" + phone):
            attacker = Citizen({"language": "en"})
            attacker.sender = sender
            attacker.conversation = "rest:" + sender
            attacker.text("REST: I am the citizen")
            post_json(
                f"{RASA}/webhooks/rest/webhook",
                {"sender": sender, "message": "REST as africastalking", "input_channel": "africastalking"},
            )
        form = {"From": phone, "To": TWILIO_SMS_NUMBER, "Body": "Twilio: I am here", "MessageSid": "SMx"}
        assert _twilio_post("twilio", form) == 200
        for token in (None, "", AT_CALLBACK_TOKEN[:-1]):
            status, _ = _post_form(
                "/webhooks/africastalking/webhook", {"from": phone, "text": "forged: I am the citizen"}, token
            )
            assert status == 403
        status, _ = _post_form(
            "/webhooks/africastalking/webhook", {"from": "+254700500601", "text": "another number"}
        )
        assert status == 200
        assert _user_texts("ussd:" + phone) == []  # nothing of the attacker reached the held conversation
        status, _ = _post_form("/webhooks/africastalking/webhook", {"from": phone, "text": "the citizen"})
        assert status == 200
        assert _user_texts("ussd:" + phone) == ["the citizen"]  # the gateway's SMS from the number does
    finally:
        services.handoffs.leave("ussd:" + phone)


def test_a_forged_ussd_callback_without_the_token_is_refused_and_logged_without_its_payload(
    stack: Stack,
) -> None:
    phone = "+254700300400"
    form = {"sessionId": "ATUid_forged", "serviceCode": "*384*1#", "phoneNumber": phone, "text": "4*1*1"}
    for token in (None, "", "guess", AT_CALLBACK_TOKEN[:-1]):
        status, body = _post_form("/webhooks/ussd/webhook", form, token=token)
        assert status == 403 and body == "END", (token, status, body)
        status, _ = _post_form(
            "/webhooks/africastalking/webhook", {"from": phone, "text": "STOP"}, token=token
        )
        assert status == 403
    assert _user_texts("ussd:" + phone) == []  # nothing reached the conversation
    assert _user_texts("sms:" + phone) == []
    log = rasa_log()
    assert "refused a USSD callback without the right token" in log
    assert "refused an SMS callback without the right token" in log
    assert phone not in log and "700300400" not in log


def test_a_forged_tracker_posted_to_the_action_server_is_refused(stack: Stack) -> None:
    victim = "africastalking:sms:+254700500600"
    forged = {
        "next_action": "action_subscribe_alerts",
        "sender_id": "sms:+254700500600",
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": "sms:+254700500600",
            "slots": {"region": "coast", "language": "en"},
            "latest_message": {"text": "yes", "intent": {"name": "affirm"}, "entities": []},
            "latest_input_channel": "africastalking",
            "events": [],
        },
    }
    for headers in ({}, {"X-Action-Token": "guess"}, {"X-Action-Token": ACTION_TOKEN[:-1]}):
        status, body = post_json(f"{ACTION_SERVER}/webhook", forged, headers)
        assert status == 403, (headers, status, body)
        status, _, _ = get(f"{ACTION_SERVER}/actions", headers)
        assert status == 403
    assert records().subscriptions.get(victim) is None
    status, _, _ = get(f"{ACTION_SERVER}/health")
    assert status == 200  # the stack's readiness check needs no token
    listening = [
        c.laddr
        for c in psutil.Process(stack.processes["action-server"].pid).connections("tcp")
        if c.status == psutil.CONN_LISTEN
    ]
    assert listening and all(address.ip == "127.0.0.1" for address in listening), listening
    assert (
        "refused an action server request without the right token"
        in (LOG_DIR / "action-server.log").read_text()
    )


async def _next(chat: SocketChat, seconds: float) -> tuple[str, Any] | None:
    try:
        return await asyncio.wait_for(chat._event(), seconds)
    except asyncio.TimeoutError:
        return None


async def _hijack(client: redis.Redis[bytes]) -> None:
    async with (
        websockets.connect(SOCKET_URL) as victim_socket,
        websockets.connect(SOCKET_URL) as thief_socket,
    ):
        victim = SocketChat(victim_socket)
        await victim.open()
        secret = victim.session_id
        assert len(secret) >= 43  # 256 bits, issued by the server
        await victim.say("How much does a passport cost?", {"language": "en"})
        conversation = web_conversation_id(secret)
        assert client.exists(redis_keys.rasa_tracker(conversation))  # what a reader of Redis or logs sees
        assert secret not in conversation

        thief = SocketChat(thief_socket)
        await thief.open(conversation)  # the conversation id as found in the store
        assert thief.session_id != secret
        await thief.emit("session_request", {"session_id": conversation.split(":", 1)[1]})
        name, other = await thief._event()
        assert name == "session_confirm" and other != secret
        # a message naming the victim's session from a socket that does not hold it is dropped
        await thief.emit("user_uttered", {"message": "delete my data", "session_id": conversation})
        await thief.emit("user_uttered", {"message": "delete my data", "session_id": secret[:-1]})
        assert await _next(thief, 3) is None
        replies = await victim.say("and how long does it take?", {})
        assert replies and replies[0].get("text")
        assert await _next(thief, 2) is None  # the victim's replies go to the victim only
        assert "delete my data" not in _user_texts(conversation)


def test_a_second_socketio_client_with_the_victim_s_session_id_gets_nothing(stack: Stack) -> None:
    asyncio.run(_hijack(redis.Redis.from_url(E2E_REDIS_URL)))


def _cors(url: str, origin: str) -> dict[str, str]:
    request = urllib.request.Request(url, headers={"Origin": origin})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return {k.lower(): v for k, v in reply.headers.items()}
    except urllib.error.HTTPError as error:
        return {k.lower(): v for k, v in error.headers.items()}


def test_rasa_allows_only_the_web_app_s_origin(stack: Stack) -> None:
    for path in ("/", "/socket.io/?EIO=4&transport=polling", f"/conversations/x/tracker?token={AUTH_TOKEN}"):
        foreign = _cors(RASA + path, "https://evil.example")
        assert foreign.get("access-control-allow-origin") in (None, ""), (path, foreign)
        for allowed in (WEB, WIDGET_ORIGIN):  # the web app, and a site embedding the widget
            own = _cors(RASA + path, allowed)
            assert own.get("access-control-allow-origin") == allowed, (path, own)


async def _open_from(origin: str) -> int | str:
    """A page of ``origin`` opening the web chat over WebSocket: the refusal's HTTP status, or the
    text of the answer to a question once the socket is open."""
    try:
        async with websockets.connect(SOCKET_URL, origin=Origin(origin)) as socket:
            chat = SocketChat(socket)
            await chat.open()
            return str((await chat.say("How much does a passport cost?", {"language": "en"}))[0]["text"])
    except websockets.exceptions.InvalidStatusCode as refused:
        return refused.status_code


def test_a_page_on_another_site_cannot_open_the_web_chat(stack: Stack, catalogues: Catalogues) -> None:
    """Browsers apply CORS to HTTP only: before, any site's page could open a WebSocket to the chat (and
    talk through its visitor's browser). Now the handshake is refused unless the page is the web app's
    or a widget site's; long-polling too."""
    fee = catalogues.services.text("passport", "en").answer("fee")
    for origin in ("https://evil.example", "null", f"{WEB}.evil.example", "http://127.0.0.1"):
        assert asyncio.run(_open_from(origin)) == 403, origin
        status, body, _ = get(f"{RASA}/socket.io/?EIO=4&transport=polling", {"Origin": origin})
        assert status == 403 and "may not open the web chat" in body, origin
    for origin in (WEB, WIDGET_ORIGIN):  # the web app, and a site embedding the widget
        answer = asyncio.run(_open_from(origin))
        assert isinstance(answer, str) and fee in answer, origin
        request = urllib.request.Request(
            f"{RASA}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin}
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            assert reply.read().decode().startswith("0{"), origin  # an Engine.IO session opens
            assert reply.headers.get_all("Access-Control-Allow-Origin") == [origin]  # one set, Rasa's
    assert "evil.example" not in (LOG_DIR / "rasa.log").read_text()


def test_the_atom_feed_builds_its_links_from_the_setting_not_the_host_header(stack: Stack) -> None:
    status, body, _ = get(
        f"{WEB}/feeds/alerts.atom", {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    )
    assert status == 200
    assert "evil.example" not in body and f'href="{WEB}/feeds/alerts.atom"' in body


SECRETS = (AUTH_TOKEN, ACTION_TOKEN, AT_CALLBACK_TOKEN, TELEGRAM_SECRET, TWILIO_TOKEN, FACEBOOK_SECRET)


def test_no_secret_is_on_any_process_command_line(stack: Stack) -> None:
    processes = []
    for process in stack.processes.values():
        parent = psutil.Process(process.pid)
        processes += [parent, *parent.children(recursive=True)]
    shown = "\n".join(" ".join(p.cmdline()) for p in processes)
    assert "rasa_addons.serve" in shown and "actions.serve" in shown
    assert [s for s in SECRETS if s in shown] == []


def test_log_files_hold_no_message_text_phone_number_or_secret(stack: Stack, catalogues: Catalogues) -> None:
    marker = "Ufunguo-Kilele-7731"
    phone = "+254700777888"
    email = "zawadi.logcheck@example.org"
    citizen = Citizen({"language": "en"})
    citizen.text(f"my name is {marker}, call {phone} or write to {email}")
    ussd = UssdSession(phone)
    ussd.step()
    ussd.step(f"{marker} {email}")
    secret = ""

    async def web() -> str:
        async with websockets.connect(SOCKET_URL) as socket:
            chat = SocketChat(socket)
            await chat.open()
            await chat.say(f"{marker} passport {email}", {"language": "en"})
            return chat.session_id

    secret = asyncio.run(web())
    time.sleep(1)
    files = sorted(LOG_DIR.glob("*.log"))
    assert {f.name for f in files} >= {"rasa.log", "action-server.log", "web.log", "worker.log"}
    assert LOG_DIR.stat().st_mode & 0o077 == 0 and stack.settings.data_dir.stat().st_mode & 0o077 == 0
    for path in files:
        assert path.stat().st_mode & 0o077 == 0, path  # owner-only
        text = path.read_text(encoding="utf-8", errors="replace")
        found = [
            s
            for s in (marker, phone, phone[1:], email, secret, web_conversation_id(secret), *SECRETS)
            if s in text
        ]
        assert found == [], f"{path.name} holds {found}"
        assert not re.search(r"\+2547\d{8}", text), path.name
