"""The agents' inbox API through the web app as its own process, with Rasa stood in on loopback (its
tracker and execute routes): what an agent reads, what the citizen is sent, what other screens hear."""

from __future__ import annotations

import http.server
import json
import os
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import redis

from bot.alerts.model import utc_now
from bot.api.handoffs import MAX_BODY
from bot.catalogue.bundle import load_catalogues
from bot.handoff.desks import load_desks
from bot.handoff.model import Trigger
from bot.handoff.relay import CitizenOutbox, NoticeKind, publish
from bot.handoff.service import HandoffService
from bot.handoff.store import HandoffStore
from bot.settings import PROJECT_ROOT
from tests.bot.api.conftest import API_REDIS_URL, Api, _free_port, serve_web_app

TOKEN = "rasa-token-of-the-inbox-test"
INBOX = "/api/v1/handoffs"
PHONE = "0712 345 678"


class StandInRasa:
    """Rasa's tracker and execute routes: stored trackers, and every execute recorded."""

    def __init__(self) -> None:
        self.trackers: dict[str, list[dict[str, Any]]] = {}
        self.executed: list[tuple[str, dict[str, list[str]], Any]] = []
        self.execute_status = 200
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self, status: int, body: Any) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                if urllib.parse.parse_qs(url.query).get("token") != [TOKEN]:
                    return self._answer(401, {})
                sender = url.path.split("/")[2]
                return self._answer(200, {"sender_id": sender, "events": stand_in.trackers.get(sender, [])})

            def do_POST(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stand_in.executed.append((url.path, urllib.parse.parse_qs(url.query), body))
                self._answer(stand_in.execute_status, {})

            def log_message(self, *_: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture(scope="module")
def rasa() -> Iterator[StandInRasa]:
    stand_in = StandInRasa()
    yield stand_in
    stand_in.server.shutdown()


@pytest.fixture(scope="module")
def inbox_server(
    rasa: StandInRasa, tmp_path_factory: pytest.TempPathFactory, api_database: str
) -> Iterator[Api]:
    port = _free_port()
    env = {
        **os.environ,
        "REDIS_URL": API_REDIS_URL,
        "RASA_URL": rasa.url,
        "RASA_AUTH_TOKEN": TOKEN,
        "BARAZA_WEB_PORT": str(port),
        "BARAZA_WEB_HOST": "127.0.0.1",
        "DATABASE_URL": api_database,  # the keys of the ``keys`` fixture are there
    }
    yield from serve_web_app(env, tmp_path_factory.mktemp("inbox-web"))


@pytest.fixture()
def handoffs(api_redis: redis.Redis[bytes]) -> HandoffService:
    config = PROJECT_ROOT / "config"
    desks = load_desks(config, set(load_catalogues(config).ministries.ministries))
    return HandoffService(HandoffStore(api_redis), lambda: desks, utc_now, timedelta(days=1))


def _ask(handoffs: HandoffService, conversation: str, topic: str = "health", language: str = "sw") -> str:
    return handoffs.ask(conversation, "twilio", language, Trigger.ASKED, topic=topic).handoff.handoff_id


def _conversation(rasa: StandInRasa, conversation: str) -> None:
    rasa.trackers[conversation] = [
        {"event": "user", "text": f"Nimeumwa sana, nipigie {PHONE}", "input_channel": "twilio"},
        {
            "event": "bot",
            "text": "Ninakuunganisha na mtu.",
            "metadata": {"language": "sw", "direction": "ltr"},
        },
    ]


def test_only_the_holder_reads_personal_data_and_nobody_sees_the_conversation_id(
    inbox_server: Api, rasa: StandInRasa, keys: dict[str, str], handoffs: HandoffService
) -> None:
    conversation = "sms:+254712345678"
    _conversation(rasa, conversation)
    waiting = _ask(handoffs, conversation)
    before = inbox_server.call("GET", f"{INBOX}/{waiting}/conversation", keys["health/agent"])
    assert before.status == 200, before.body
    assert before.headers["cache-control"] == "no-store"
    body = before.json()
    assert body["redacted"] is True
    assert [m["from"] for m in body["messages"]] == ["user", "bot"]
    assert PHONE not in body["messages"][0]["text"] and body["messages"][0]["text"].startswith("Nimeumwa")
    assert inbox_server.call("POST", f"{INBOX}/{waiting}/claim", keys["health/agent"]).status == 200
    held = inbox_server.call("GET", f"{INBOX}/{waiting}/conversation", keys["health/agent"]).json()
    assert held["redacted"] is False and PHONE in held["messages"][0]["text"]
    colleague = inbox_server.call("GET", f"{INBOX}/{waiting}/conversation", keys["health/agent2"]).json()
    assert colleague["redacted"] is True and PHONE not in json.dumps(colleague)
    queues = inbox_server.call("GET", INBOX, keys["health/agent"])
    for reply in (before, queues):
        assert "254712345678" not in reply.body.decode()
    assert [h["id"] for h in queues.json()["mine"]] == [waiting]


def test_a_reply_is_filed_for_the_citizen_and_wakes_their_conversation(
    inbox_server: Api,
    rasa: StandInRasa,
    keys: dict[str, str],
    handoffs: HandoffService,
    api_redis: redis.Redis[bytes],
) -> None:
    conversation = "sms:+254700000011"
    waiting = _ask(handoffs, conversation)
    rasa.executed.clear()
    assert inbox_server.call("POST", f"{INBOX}/{waiting}/claim", keys["health/agent"]).status == 200
    sent = inbox_server.call(
        "POST", f"{INBOX}/{waiting}/reply", keys["health/agent"], {"text": " Habari, nipo. "}
    )
    assert sent.status == 200 and sent.json()["delivered"] is True, sent.body
    notices = CitizenOutbox(api_redis).take(conversation)
    assert [(n.kind, n.text) for n in notices] == [
        (NoticeKind.CLAIMED, ""),
        (NoticeKind.AGENT_REPLY, "Habari, nipo."),
    ]
    assert len(rasa.executed) == 2
    path, query, body = rasa.executed[-1]
    assert path == f"/conversations/{conversation}/execute"
    assert body == {"name": "action_handoff_relay"} and query["output_channel"] == ["twilio"]
    assert query["token"] == [TOKEN]
    rasa.execute_status = 500  # the conversation cannot be woken now: the notice waits in the outbox
    try:
        later = inbox_server.call("POST", f"{INBOX}/{waiting}/reply", keys["health/agent"], {"text": "Uko?"})
    finally:
        rasa.execute_status = 200
    assert later.status == 200 and later.json()["delivered"] is False
    assert [n.text for n in CitizenOutbox(api_redis).take(conversation)] == ["Uko?"]


def test_claiming_the_first_tells_the_others_their_new_place(
    inbox_server: Api, keys: dict[str, str], handoffs: HandoffService, api_redis: redis.Redis[bytes]
) -> None:
    ids = [_ask(handoffs, f"sms:+25470000002{i}") for i in range(3)]
    queues = inbox_server.call("GET", INBOX, keys["health/agent"]).json()
    assert [(h["id"], h["position"]) for h in queues["waiting"]] == [(i, n) for n, i in enumerate(ids, 1)]
    assert all(isinstance(h["waited_seconds"], int) and h["waited_seconds"] >= 0 for h in queues["waiting"])
    assert inbox_server.call("POST", f"{INBOX}/{ids[0]}/claim", keys["health/agent"]).status == 200
    outbox = CitizenOutbox(api_redis)
    assert [n.kind for n in outbox.take("sms:+254700000020")] == [NoticeKind.CLAIMED]
    assert [(n.kind, n.position) for n in outbox.take("sms:+254700000021")] == [(NoticeKind.PLACE, 1)]
    assert [(n.kind, n.position) for n in outbox.take("sms:+254700000022")] == [(NoticeKind.PLACE, 2)]


def test_a_transfer_goes_to_the_other_desk_with_its_note_and_an_end_needs_a_reason(
    inbox_server: Api, keys: dict[str, str], handoffs: HandoffService, api_redis: redis.Redis[bytes]
) -> None:
    conversation = "sms:+254700000031"
    waiting = _ask(handoffs, conversation)
    health = keys["health/agent"]
    assert inbox_server.call("POST", f"{INBOX}/{waiting}/claim", health).status == 200
    bad = inbox_server.call("POST", f"{INBOX}/{waiting}/transfer", health, {"desk": "nowhere"})
    assert bad.status == 422 and "desk" in bad.json()["error"]
    moved = inbox_server.call(
        "POST",
        f"{INBOX}/{waiting}/transfer",
        health,
        {"desk": "disaster_desk", "note": f"Flooding, call back on {PHONE}"},
    )
    assert moved.status == 200 and moved.json()["desk"] == "disaster_desk", moved.body
    assert inbox_server.call("GET", f"{INBOX}/{waiting}", health).status == 403  # not the health line's now
    disaster = keys["meteo/agent"]
    queue = inbox_server.call("GET", INBOX, disaster).json()["waiting"]
    # The next person reads the note before claiming, its personal data only once they hold it.
    [(seen, [note])] = [(h["id"], [n["note"] for n in h["notes"]]) for h in queue]
    assert seen == waiting and note.startswith("Flooding, call back on") and PHONE not in note
    notices = CitizenOutbox(api_redis).take(conversation)
    assert [(n.kind, n.position) for n in notices][-1] == (NoticeKind.TRANSFERRED, 1)
    assert inbox_server.call("POST", f"{INBOX}/{waiting}/end", disaster, {"reason": "resolved"}).status == 403
    claimed = inbox_server.call("POST", f"{INBOX}/{waiting}/claim", disaster).json()
    assert (
        claimed["notes"][0]["note"] == f"Flooding, call back on {PHONE}"
        and claimed["notes"][0]["by"] == "health-agent"
    )
    for body in ({}, {"reason": "bored"}, {"reason": "resolved", "extra": 1}):
        refused = inbox_server.call("POST", f"{INBOX}/{waiting}/end", disaster, body)
        assert refused.status == 422 and "error" in refused.json(), body
    ended = inbox_server.call("POST", f"{INBOX}/{waiting}/end", disaster, {"reason": "referred"})
    assert (
        ended.status == 200 and ended.json()["status"] == "ended" and ended.json()["end_reason"] == "referred"
    )
    assert [n.kind for n in CitizenOutbox(api_redis).take(conversation)][-1] is NoticeKind.ENDED
    again = inbox_server.call("POST", f"{INBOX}/{waiting}/end", disaster, {"reason": "resolved"})
    assert again.status == 409 and "ended" in again.json()["error"]


def test_bodies_are_checked_before_any_work(
    inbox_server: Api, keys: dict[str, str], handoffs: HandoffService
) -> None:
    waiting = _ask(handoffs, "sms:+254700000041")
    agent = keys["health/agent"]
    assert inbox_server.call("POST", f"{INBOX}/{waiting}/claim", agent).status == 200
    url = f"{INBOX}/{waiting}/reply"
    assert inbox_server.call("POST", url, agent, {"text": "x" * MAX_BODY}).status == 413
    assert inbox_server.call("POST", url, agent, b"{not json").status == 400
    assert inbox_server.call("POST", url, agent, b"[" * 100 + b"]" * 100).status == 400
    for body in ({}, {"text": "   "}, {"text": 7}, {"text": "x" * 1001}, ["x"]):
        reply = inbox_server.call("POST", url, agent, body)
        assert reply.status == 422 and reply.json()["status"] == 422, body
    assert inbox_server.call("POST", f"{INBOX}/h_nothere/claim", agent).status == 404


def test_canned_answers_come_in_every_language(inbox_server: Api, keys: dict[str, str]) -> None:
    answers = inbox_server.call("GET", f"{INBOX}/canned", keys["health/agent"]).json()["answers"]
    assert set(answers) == {"en", "fr", "es", "pt", "sw", "ar"}
    ids = [a["id"] for a in answers["en"]]
    assert ids and all([a["id"] for a in texts] == ids for texts in answers.values())
    assert all(a["text"].strip() for texts in answers.values() for a in texts)


def test_the_live_stream_carries_the_agents_desks_only(
    inbox_server: Api, keys: dict[str, str], handoffs: HandoffService, api_redis: redis.Redis[bytes]
) -> None:
    waiting = _ask(handoffs, "sms:+254700000051")
    request = urllib.request.Request(
        inbox_server.base + f"{INBOX}/events", headers={"Authorization": f"Bearer {keys['health/agent']}"}
    )
    stream = urllib.request.urlopen(request, timeout=20)
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert stream.headers["cache-control"] == "no-store"
    events: list[dict[str, Any]] = []

    def read() -> None:
        for line in stream:
            if line.startswith(b"data: "):
                events.append(json.loads(line[6:]))
                if len(events) == 2:
                    return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    time.sleep(1.0)  # the stream has subscribed once its first comment is sent; leave it a moment
    publish(api_redis, "disaster_desk", "citizen_message", "h_elsewhere")  # another desk: not shown
    publish(api_redis, "health_line", "citizen_message", waiting)
    assert inbox_server.call("POST", f"{INBOX}/{waiting}/claim", keys["health/agent"]).status == 200
    reader.join(timeout=10)
    stream.close()
    assert events == [
        {"kind": "citizen_message", "handoff_id": waiting},
        {"kind": "claimed", "handoff_id": waiting},
    ]
