"""The real stack for end-to-end tests: trained model, real Redis, action server, Rasa, web app."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

import pytest
import redis
import yaml
from aiohttp import web

from bot.alerts.load_samples import publish_samples, sample_alerts
from bot.runtime.stack import Stack
from bot.runtime.training import ensure_model
from bot.services import Services
from bot.settings import PROJECT_ROOT, load_settings

E2E_REDIS_URL = os.environ.get("E2E_REDIS_URL", "redis://127.0.0.1:6379/13")
AUTH_TOKEN = "e2e-test-token"
ACTION_TOKEN = "e2e-action-token"
#: Ports of the test stack: E2E_PORT_BASE (Rasa), +1 (action server), +2 (web app), so that several
#: checkouts can run their end-to-end tests side by side on one machine.
PORT_BASE = int(os.environ.get("E2E_PORT_BASE", "5005"))
RASA_PORT, ACTION_PORT = PORT_BASE, PORT_BASE + 1 if PORT_BASE != 5005 else 5055
WEB_PORT = PORT_BASE + 2 if PORT_BASE != 5005 else 8080
RASA = f"http://127.0.0.1:{RASA_PORT}"
WEB = f"http://127.0.0.1:{WEB_PORT}"
#: Where tests/e2e/test_browser.py serves a page embedding the rasa-webchat widget: a site allowed by
#: Rasa's CORS (BARAZA_WIDGET_ORIGINS), as a ministry's own site would be.
WIDGET_PORT = PORT_BASE + 3 if PORT_BASE != 5005 else 8081
WIDGET_ORIGIN = f"http://127.0.0.1:{WIDGET_PORT}"
TELEGRAM_TOKEN = "123456:e2e-test-bot"
TELEGRAM_SECRET = "e2e-telegram-secret"
AT_API_KEY = "e2e-at-key"
AT_CALLBACK_TOKEN = "e2e-at-callback"
FACEBOOK_SECRET = "e2e-facebook-app-secret"
TWILIO_SID = "ACe2e00000000000000000000000000000"
TWILIO_TOKEN = "e2e-twilio-auth-token"
TWILIO_SMS_NUMBER = "+15005550006"
TWILIO_WHATSAPP_NUMBER = "whatsapp:+14155238886"
LOG_DIR = PROJECT_ROOT / ".data" / "test-logs"


class ProviderStandIn:
    """A provider's HTTP API on loopback (no internet here): records every call, answers ``ok``.

    An asyncio server on its own thread, keeping connections alive as the providers' APIs do, so
    that it takes the thousands of calls a second a delivery worker makes (``bench/delivery.py``).
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.arrivals: list[float] = []  #: time.monotonic() of each call, in order
        self._loop = asyncio.new_event_loop()
        self._runner = web.AppRunner(web.Application(handler_args={"access_log": None}))
        self._runner.app.router.add_route("POST", "/{tail:.*}", self._answer)
        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._runner.setup(), self._loop).result(timeout=30)
        site = web.SockSite(self._runner, self._listening())
        asyncio.run_coroutine_threadsafe(site.start(), self._loop).result(timeout=30)
        self.url = f"http://127.0.0.1:{self._port}"

    def _listening(self) -> socket.socket:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen(512)
        self._port = server.getsockname()[1]
        return server

    async def _answer(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if "x-www-form-urlencoded" in (request.headers.get("Content-Type") or ""):
            body: dict[str, Any] = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode()).items()}
            body["_api_key"] = request.headers.get("apiKey", "")
        else:
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {"raw": raw.decode(errors="replace")}
        self.calls.append((request.path_qs, body))
        self.arrivals.append(time.monotonic())
        return web.json_response({"ok": True, "result": {"message_id": len(self.calls)}})

    def calls_to(self, path_end: str) -> list[dict[str, Any]]:
        return [body for path, body in self.calls if path.endswith(path_end)]

    def shutdown(self) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)


#: The one stand-in and stack of a test session: tests/security/ imports these fixtures too, and a
#: second stack on the same ports must not start when both folders run together.
_RUNNING: dict[str, Any] = {}


@pytest.fixture(scope="session")
def telegram_api() -> Iterator[ProviderStandIn]:
    if "telegram_api" in _RUNNING:
        yield _RUNNING["telegram_api"]
        return
    stand_in = _RUNNING["telegram_api"] = ProviderStandIn()
    yield stand_in
    stand_in.shutdown()
    _RUNNING.pop("telegram_api", None)


@pytest.fixture(scope="session")
def stack(telegram_api: ProviderStandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if "stack" in _RUNNING:
        yield _RUNNING["stack"]
        return
    redis.Redis.from_url(E2E_REDIS_URL).flushdb()
    database = tmp_path_factory.mktemp("db") / "concerns.db"
    settings = replace(
        load_settings(
            {
                "BARAZA_RASA_PORT": str(RASA_PORT),
                "BARAZA_ACTION_SERVER_PORT": str(ACTION_PORT),
                "BARAZA_WEB_PORT": str(WEB_PORT),
            }
        ),
        redis_url=E2E_REDIS_URL,
        database_url=f"sqlite:///{database}",
        rasa_auth_token=AUTH_TOKEN,
        action_server_token=ACTION_TOKEN,
        public_url=WEB,
        widget_origins=(WIDGET_ORIGIN,),
        rest_channel=True,
        telegram_token=TELEGRAM_TOKEN,
        telegram_secret_token=TELEGRAM_SECRET,
        telegram_api_url=telegram_api.url,
        africastalking_username="sandbox",
        africastalking_api_key=AT_API_KEY,
        africastalking_api_url=telegram_api.url,
        africastalking_callback_token=AT_CALLBACK_TOKEN,
        twilio_account_sid=TWILIO_SID,
        twilio_auth_token=TWILIO_TOKEN,
        twilio_api_url=telegram_api.url,
        twilio_sms_number=TWILIO_SMS_NUMBER,
        twilio_whatsapp_number=TWILIO_WHATSAPP_NUMBER,
        facebook_verify="e2e-verify",
        facebook_secret=FACEBOOK_SECRET,
        facebook_page_access_token="e2e-page-token",
        facebook_graph_url=telegram_api.url,
        # as in the cluster, docker-compose and Kubernetes: the workers push to the web chat directly
        socketio_across_replicas=True,
    )
    # The real rate limits, but 127.0.0.1 (every test here) is not limited per address: the tests would
    # otherwise flood themselves. tests/security/ floods from other loopback addresses.
    limits = yaml.safe_load((PROJECT_ROOT / "config" / "limits.yml").read_text(encoding="utf-8"))
    limits_file = tmp_path_factory.mktemp("limits") / "limits.yml"
    limits_file.write_text(yaml.safe_dump({**limits, "exempt_addresses": ["127.0.0.1"]}), encoding="utf-8")
    settings = replace(
        settings, limits_file=limits_file, desks_file=open_desks(tmp_path_factory.mktemp("desks"))
    )
    model = ensure_model(settings)
    running = _RUNNING["stack"] = Stack(settings=settings, model=model, log_dir=LOG_DIR)
    running.start()
    publish_samples(
        Services(settings).alerts, sample_alerts(PROJECT_ROOT / "data" / "samples" / "alerts.yml")
    )
    yield running
    running.stop()
    if "records" in _RUNNING:
        _RUNNING.pop("records").database.dispose()
    _RUNNING.pop("stack", None)


def records() -> Services:
    """The running stack's services over its Redis and its database, for tests that seed records
    (API keys, subscriptions) the way an operator or a citizen would have made them."""
    if "records" not in _RUNNING:
        _RUNNING["records"] = Services(_RUNNING["stack"].settings)
    return _RUNNING["records"]


def open_desks(folder: Path) -> Path:
    """The sample desks, every one open round the clock (tests run at any hour; a test that needs a
    closed desk rewrites this file, which the services re-read when it changes)."""
    desks = yaml.safe_load((PROJECT_ROOT / "config" / "catalogue" / "desks.yml").read_text(encoding="utf-8"))
    for desk in desks["desks"].values():
        desk.update(hours="always", holidays=[])
    path = folder / "desks.yml"
    path.write_text(yaml.safe_dump(desks), encoding="utf-8")
    return path


def post_json(url: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, reply.read().decode(), dict(reply.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


class Citizen:
    """One conversation through Rasa's REST channel (the conversation id is ``rest:<sender>``)."""

    def __init__(self, metadata: dict[str, Any] | None = None) -> None:
        self.sender = f"e2e-{uuid.uuid4().hex[:12]}"
        self.conversation = f"rest:{self.sender}"
        self.metadata = metadata or {}

    def say(self, text: str) -> list[dict[str, Any]]:
        status, messages = post_json(
            f"{RASA}/webhooks/rest/webhook",
            {"sender": self.sender, "message": text, "metadata": self.metadata},
        )
        assert status == 200, messages
        assert isinstance(messages, list)
        return messages

    def text(self, text: str) -> str:
        """Everything the assistant answered, as one string."""
        return "\n".join(m.get("text", "") for m in self.say(text))

    def slot(self, name: str) -> Any:
        status, body, _ = get(f"{RASA}/conversations/{self.conversation}/tracker?token={AUTH_TOKEN}")
        assert status == 200, body
        return json.loads(body)["slots"].get(name)


@pytest.fixture()
def citizen(stack: Stack) -> Citizen:
    return Citizen()


def rasa_log() -> str:
    """What the Rasa server of the test stack has logged so far."""
    return (LOG_DIR / "rasa.log").read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, for one module's browser tests (the chat page, the console).

    Per module, not per session: Playwright's sync API keeps an event loop running while it is open,
    and the asyncio-based tests of other modules need it closed.
    """
    from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, _require

    _require(CHROMIUM is not None, "chromium")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
