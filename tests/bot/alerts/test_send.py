"""``python -m bot.alerts.send``: the API's answer shown as it is, delivery followed to the end.

The end-to-end tests (tests/e2e/test_alerts.py) run the command against the real stack; here it talks
to a stand-in of the API, to check what it prints and returns for each answer.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from bot.alerts.cap import MEDIA_TYPE
from bot.alerts.send import ApiRefused, bar, call, follow, main


class FakeApi(BaseHTTPRequestHandler):
    """Answers each request with the next (status, body) the test queued."""

    answers: ClassVar[list[tuple[int, Any]]] = []
    received: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def _answer(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        FakeApi.received.append((self.command, self.path, dict(self.headers), body))
        status, answer = FakeApi.answers.pop(0)
        payload = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, *_: Any) -> None:
        return


@pytest.fixture()
def api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakeApi.answers, FakeApi.received = [], []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _progress(status: str, sent: int, total: int, complete: bool = False) -> dict[str, Any]:
    deliveries = {"total": total, "sent": sent, "failed": 0, "skipped": 0, "remaining": total - sent}
    return {"status": status, "deliveries": {**deliveries, "complete": complete}}


def test_the_bar_shows_the_share_done() -> None:
    half = _progress("sending", 5, 10)["deliveries"]
    assert bar(half).startswith("[" + "#" * 15 + "." * 15 + "]  50%")
    assert "sent 5  failed 0  remaining 5  of 10" in bar(half)
    assert "0%" in bar(_progress("sending", 0, 0)["deliveries"])  # nobody to reach yet
    assert "100%" in bar(_progress("sent", 0, 0, complete=True)["deliveries"])  # complete with no one


def test_a_call_sends_the_key_and_returns_the_json(api: str) -> None:
    FakeApi.answers = [(201, {"id": "al_1", "status": "sending"})]
    assert call(f"{api}/api/v1/alerts", "bz_k_s", "POST", b"<alert/>") == {"id": "al_1", "status": "sending"}
    method, path, headers, body = FakeApi.received[0]
    assert (method, path, body) == ("POST", "/api/v1/alerts", b"<alert/>")
    assert headers["Authorization"] == "Bearer bz_k_s" and headers["Content-Type"] == MEDIA_TYPE


def test_a_refusal_carries_the_apis_own_message(api: str) -> None:
    FakeApi.answers = [(422, {"error": "<area> 'Atlantis' matches no region"}), (500, "not json")]
    with pytest.raises(ApiRefused, match="422: <area> 'Atlantis' matches no region"):
        call(f"{api}/api/v1/alerts", "k", "POST", b"x")
    with pytest.raises(ApiRefused, match="500: Internal Server Error"):
        call(f"{api}/api/v1/alerts", "k")
    with pytest.raises(ApiRefused, match="not an http"):
        call("file:///etc/passwd", "k")


def test_follow_waits_for_approval_then_draws_the_bar_until_complete(api: str) -> None:
    FakeApi.answers = [
        (200, _progress("pending_approval", 0, 0)),
        (200, _progress("pending_approval", 0, 0)),
        (200, _progress("sending", 1, 2)),
        (200, _progress("sending", 1, 2)),
        (200, _progress("sent", 2, 2, complete=True)),
    ]
    out = io.StringIO()
    final = follow(api, "k", "al_1", out, interval=0)
    assert final["status"] == "sent"
    lines = out.getvalue().splitlines()
    assert lines[0] == "waiting for approval (pending_approval)..."  # said once
    assert [line.split("]")[1].split()[0] for line in lines[1:]] == ["50%", "100%"]  # a line per change
    assert {p for _, p, _, _ in FakeApi.received} == {"/api/v1/alerts/al_1/progress"}


def test_follow_stops_when_the_alert_is_cancelled(api: str) -> None:
    FakeApi.answers = [(200, _progress("cancelled", 1, 5))]
    out = io.StringIO()
    assert follow(api, "k", "al_1", out, interval=0)["status"] == "cancelled"
    assert "the alert was cancelled" in out.getvalue()


def test_usage_errors_exit_2_and_a_refused_file_exits_1(
    api: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "alert.cap"
    document.write_bytes(b"<alert/>")
    monkeypatch.delenv("BARAZA_API_KEY", raising=False)
    assert main([str(document), "--url", api]) == 2
    assert "set BARAZA_API_KEY" in capsys.readouterr().err
    monkeypatch.setenv("BARAZA_API_KEY", "bz_k_s")
    assert main([str(tmp_path / "missing.cap"), "--url", api]) == 2
    assert "cannot read" in capsys.readouterr().err
    FakeApi.answers = [(422, {"error": "not a CAP 1.2 document"})]
    assert main([str(document), "--url", api]) == 1
    assert "refused: 422: not a CAP 1.2 document" in capsys.readouterr().err
    FakeApi.answers = [(201, {"id": "al_9", "status": "pending_approval"})]
    out = io.StringIO()
    assert main([str(document), "--url", api + "/", "--no-wait"], out=out) == 0
    assert out.getvalue() == "alert al_9: pending_approval\n"
