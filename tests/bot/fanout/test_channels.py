"""Delivering through Rasa: a 200 counts as sent only when the conversation remembers the delivery."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from bot.fanout.channels import Outcome, RasaTrigger, SkipReason
from bot.fanout.notices import Broadcast, Notice, NoticeKind


class FakeRasa(BaseHTTPRequestHandler):
    """Answers trigger_intent with whatever the test set in ``answers`` (status, body)."""

    answers: ClassVar[list[tuple[int, Any]]] = []
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        FakeRasa.received.append(json.loads(self.rfile.read(length)))
        status, body = FakeRasa.answers.pop(0)
        payload = (json.dumps(body) if not isinstance(body, str) else body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *_: Any) -> None:
        return


@pytest.fixture()
def rasa() -> Iterator[RasaTrigger]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakeRasa.answers, FakeRasa.received = [], []
    yield RasaTrigger(f"http://127.0.0.1:{server.server_address[1]}", "token", timeout=5)
    server.shutdown()


def _tracker(remembered: list[str]) -> dict[str, Any]:
    return {"tracker": {"slots": {"delivered_alerts": remembered}}}


def test_sent_only_when_the_conversation_remembers_the_delivery(rasa: RasaTrigger) -> None:
    delivery = Notice(Broadcast(NoticeKind.CONCERN, "K7P2QX", "1"), "telegram", "42")
    FakeRasa.answers = [
        (200, _tracker([delivery.delivery_id])),
        (200, _tracker(["something-else"])),  # the action failed: Rasa still answers 200
        (200, "not json"),
        (500, {"message": "boom"}),
        (404, {"message": "no such intent"}),
    ]
    assert rasa.send(delivery) == (Outcome.SENT, "")
    outcome, reason = rasa.send(delivery)
    assert outcome is Outcome.RETRY and "did not record the delivery" in reason
    assert rasa.send(delivery)[0] is Outcome.RETRY
    assert rasa.send(delivery)[0] is Outcome.RETRY
    assert rasa.send(delivery)[0] is Outcome.FAILED
    assert FakeRasa.received[0] == {
        "name": "EXTERNAL_concern_update",
        "entities": {"ticket": "K7P2QX", "delivery_kind": "concern", "delivery_id": delivery.delivery_id},
    }


def test_an_alert_carries_the_subscribers_language(rasa: RasaTrigger) -> None:
    """For a conversation that expired since subscribing (then Rasa starts a new one)."""
    delivery = Notice(Broadcast.alert("a1"), "telegram", "42", language="fr")
    FakeRasa.answers = [(200, _tracker([delivery.delivery_id]))]
    assert rasa.send(delivery) == (Outcome.SENT, "")
    assert FakeRasa.received[0]["entities"]["language"] == "fr"


def test_a_channel_rasa_has_no_output_for_is_skipped_not_sent(rasa: RasaTrigger) -> None:
    """Rasa collects the messages for a channel it cannot send on (no SMS gateway configured) and
    answers 200 with them: that used to count as sent."""
    delivery = Notice(Broadcast.alert("a1"), "africastalking", "+254700000001")
    FakeRasa.answers = [(200, {**_tracker([delivery.delivery_id]), "messages": [{"text": "ALERT"}]})]
    assert rasa.send(delivery) == (Outcome.SKIPPED, SkipReason.NOT_CONFIGURED.value)


def test_a_channel_that_only_answers_requests_is_skipped_as_unable_to_push(rasa: RasaTrigger) -> None:
    """The conversation still records it (Rasa was asked); nobody was pushed anything."""
    delivery = Notice(Broadcast.alert("a1"), "rest", "web-user")
    FakeRasa.answers = [
        (200, {**_tracker([]), "messages": []}),  # the action failed (action server down): again later
        (200, {**_tracker([delivery.delivery_id]), "messages": [{"text": "ALERT"}]}),
    ]
    assert rasa.send(delivery)[0] is Outcome.RETRY
    assert rasa.send(delivery) == (Outcome.SKIPPED, SkipReason.CANNOT_PUSH.value)
