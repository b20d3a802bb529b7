"""The HAProxy configuration, run by a real HAProxy in front of stand-in replicas."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

from bot.runtime.balancer import Backends, check_config, haproxy_binary, haproxy_command, render_config


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Replica:
    """An HTTP server answering every GET/POST with its own name (and 200 on the health paths)."""

    def __init__(self, name: str) -> None:
        replica = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                body = replica.name.encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._answer()

            def log_message(self, *_: Any) -> None:
                pass

        self.name = name
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def balanced(tmp_path: Path) -> Iterator[tuple[Backends, dict[str, Replica], Path]]:
    try:
        haproxy_binary()
    except RuntimeError:
        if os.environ.get("CI"):
            raise
        pytest.skip("haproxy not installed (Debian package haproxy)")
    replicas = {n: Replica(n) for n in ("rasa1", "rasa2", "actions1", "actions2", "web1", "web2")}
    backends = Backends(
        public_port=_free_port(),
        rasa_api_port=_free_port(),
        actions_port=_free_port(),
        rasa=(replicas["rasa1"].address, replicas["rasa2"].address),
        actions=(replicas["actions1"].address, replicas["actions2"].address),
        web=(replicas["web1"].address, replicas["web2"].address),
    )
    config = tmp_path / "haproxy.cfg"
    config.write_text(render_config(backends), encoding="utf-8")
    log = tmp_path / "haproxy.log"
    with log.open("wb") as out:
        process = subprocess.Popen(haproxy_command(config), stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_until(lambda: _get(backends.public_port, "/lb/health")[1] == "ok")
            time.sleep(2.5)  # first health checks passed: every server up
            yield backends, replicas, log
        finally:
            process.terminate()
            process.wait(timeout=10)
            for replica in replicas.values():
                replica.stop()


def _wait_until(condition: Any, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.1)
    raise AssertionError("timed out")


def _get(port: int, path: str, cookie: str = "", method: str = "GET") -> tuple[int, str, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=b"{}" if method == "POST" else None,
        headers={"Cookie": cookie} if cookie else {},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.read().decode(), reply.headers.get("Set-Cookie") or ""
    except urllib.error.HTTPError as error:
        return error.code, "", ""


def test_the_rendered_configuration_is_accepted_by_haproxy(tmp_path: Path) -> None:
    try:
        haproxy_binary()
    except RuntimeError:
        pytest.skip("haproxy not installed")
    for discover in (0, 4):
        addresses = ("rasa:5005",) if discover else ("127.0.0.1:1", "127.0.0.1:2")
        backends = Backends(8000, 8001, 8002, addresses, addresses, addresses, discover=discover)
        config = tmp_path / f"haproxy-{discover}.cfg"
        config.write_text(render_config(backends), encoding="utf-8")
        checked = check_config(config)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_webhooks_go_round_robin_to_rasa_and_pages_to_the_web_apps(
    balanced: tuple[Backends, dict[str, Replica], Path],
) -> None:
    backends, _, _ = balanced
    served = [_get(backends.public_port, "/webhooks/rest/webhook", method="POST")[1] for _ in range(4)]
    assert served == ["rasa1", "rasa2", "rasa1", "rasa2"]
    assert {_get(backends.public_port, "/console")[1] for _ in range(4)} == {"web1", "web2"}
    # Rasa's own HTTP API is not reachable from the public side: those paths reach the web app.
    assert _get(backends.public_port, "/conversations/x/tracker")[1].startswith("web")
    assert {_get(backends.actions_port, "/webhook", method="POST")[1] for _ in range(4)} == {
        "actions1",
        "actions2",
    }
    assert {_get(backends.rasa_api_port, "/status")[1] for _ in range(4)} == {"rasa1", "rasa2"}


def test_a_socketio_session_sticks_to_one_replica(
    balanced: tuple[Backends, dict[str, Replica], Path],
) -> None:
    backends, _, _ = balanced
    _, first, set_cookie = _get(backends.public_port, "/socket.io/?EIO=4&transport=polling")
    assert set_cookie.startswith("BARAZA_RASA=") and "HttpOnly" in set_cookie
    cookie = set_cookie.split(";", 1)[0]
    polls = {
        _get(backends.public_port, "/socket.io/?EIO=4&transport=polling&sid=x", cookie)[1] for _ in range(6)
    }
    assert polls == {first}


def test_a_replica_that_stops_answering_is_taken_out_of_rotation(
    balanced: tuple[Backends, dict[str, Replica], Path],
) -> None:
    backends, replicas, _ = balanced
    replicas["rasa1"].stop()
    time.sleep(7)  # three failed checks, 2 s apart
    served = {_get(backends.public_port, "/webhooks/rest/webhook", method="POST") for _ in range(6)}
    assert {(status, name) for status, name, _ in served} == {(200, "rasa2")}


def test_the_access_log_has_no_query_strings(balanced: tuple[Backends, dict[str, Replica], Path]) -> None:
    backends, _, log = balanced
    _get(backends.public_port, "/socket.io/?EIO=4&transport=polling&sid=secret-session-id")
    _get(backends.public_port, "/feeds/alerts.atom?api_key=bz_secret")
    time.sleep(0.5)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "/socket.io/" in text and "/feeds/alerts.atom" in text
    assert "secret-session-id" not in text and "bz_secret" not in text
