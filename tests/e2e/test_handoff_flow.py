"""The whole handoff through both real sides at once: a Spanish web-chat citizen (socket.io) asks for a
person, an agent takes the conversation in the inbox (Chromium), both talk, the agent ends, the citizen
rates and the assistant is back. Nothing stands in for either side: the citizen's words go through
Rasa and its handoff door, the agent's through the inbox page, its API, the outbox and
``action_handoff_relay``.

The socket.io citizen runs on its own thread and event loop (Playwright's sync API holds this
thread's), reading every packet as it comes so that the server's pings are answered while the agent
works in the browser.
"""

from __future__ import annotations

import asyncio
import csv
import io
import threading
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import websockets

from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.catalogue.bundle import Catalogues
from bot.handoff.model import EndReason, Status
from bot.identity import web_conversation_id
from bot.services import Services
from tests.e2e.conftest import WEB, get, records
from tests.e2e.test_browser import playwright_api
from tests.e2e.test_handoff import DESK, QUIET_SECONDS, _active, _stored, desk, said  # noqa: F401
from tests.e2e.test_inbox import _announced, _open_inbox, _sign_in, pages  # noqa: F401
from tests.e2e.test_socketio import SOCKET_URL, SocketChat

T = TypeVar("T")
PHONE = "0712 345 678"
ASK = "Quiero hablar con una persona"


class WebCitizen:
    """A web-chat citizen on the socket, driven from synchronous test code."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._received: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._connection: Any = None
        self._reader: asyncio.Task[None] | None = None
        self.chat: SocketChat | None = None
        self._run(self._open())

    def _run(self, work: Coroutine[Any, Any, T], wait: float = 60) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=wait)

    async def _open(self) -> None:
        self._connection = await websockets.connect(SOCKET_URL)
        self.chat = SocketChat(self._connection)
        await self.chat.open()
        self._reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        assert self.chat is not None
        while True:
            try:
                name, message = await self.chat._event()  # answers the server's pings
            except asyncio.TimeoutError:
                continue
            except websockets.ConnectionClosed:
                return
            if name == "bot_uttered":
                await self._received.put(dict(message))

    @property
    def conversation(self) -> str:
        assert self.chat is not None
        return web_conversation_id(self.chat.session_id)

    def send(self, text: str, metadata: dict[str, Any] | None = None) -> None:
        assert self.chat is not None
        payload = {"message": text, "session_id": self.chat.session_id, "metadata": metadata or {}}
        self._run(self.chat.emit("user_uttered", payload))

    def next(self, wait: float = 30) -> dict[str, Any]:
        """The next message the citizen's page shows."""
        return self._run(asyncio.wait_for(self._received.get(), wait), wait + 5)

    def quiet(self, seconds: float = QUIET_SECONDS) -> bool:
        """Nothing arrives for ``seconds``."""
        try:
            self.next(seconds)
        except (asyncio.TimeoutError, TimeoutError):
            return True
        return False

    def say(self, text: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Send ``text``; everything answered until a second of silence."""
        self.send(text, metadata)
        replies = [self.next()]
        while True:
            try:
                replies.append(self.next(1.5))
            except (asyncio.TimeoutError, TimeoutError):
                return replies

    def close(self) -> None:
        async def closing() -> None:
            if self._reader is not None:
                self._reader.cancel()
            if self._connection is not None:
                await self._connection.close()

        self._run(closing())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


@pytest.fixture()
def web_citizen(desk: Services) -> Iterator[WebCitizen]:  # noqa: F811
    citizen = WebCitizen()
    yield citizen
    citizen.close()


@pytest.fixture()
def agent_keys(desk: Services) -> dict[str, str]:  # noqa: F811
    """Two agents of the general desk (the Ministry of the Interior's) and an analyst."""
    store = records().api_keys
    now = utc_now()
    return {
        "amina": store.create("interior", Role.AGENT, "Amina", now, person="INT-301", desks=(DESK,))[0],
        "baraka": store.create("interior", Role.AGENT, "Baraka", now, person="INT-302", desks=(DESK,))[0],
        "analyst": store.create("meteo", Role.ANALYST, "handoff flow", now)[0],
    }


def _texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(str(r.get("text") or "") for r in replies)


def test_a_spanish_web_citizen_and_an_agent_in_the_inbox_from_asking_to_rating(
    browser: playwright_api.Browser,
    pages: list[Any],  # noqa: F811
    agent_keys: dict[str, str],
    desk: Services,  # noqa: F811
    web_citizen: WebCitizen,
    catalogues: Catalogues,
) -> None:
    es = catalogues.locales["es"]
    texts = catalogues.locales["en"].inbox
    citizen = web_citizen

    # The agent is at the desk before the citizen comes.
    page = _open_inbox(browser, pages, "en")
    _sign_in(page, agent_keys["amina"])

    # A Spanish citizen, with a phone number in an earlier message, asks for a person.
    assert citizen.say(f"Hola, mi número es {PHONE}", {"language": "es"})
    queued = citizen.say(ASK, {"language": "es"})
    assert said(es, "handoff_queued", _texts(queued), position=1), queued
    handoff = _active(desk, citizen.conversation)
    assert handoff.status is Status.WAITING and handoff.language == "es" and handoff.desk == DESK

    # The agent sees the citizen arrive without a reload, announced.
    waiting = page.locator(f"#waiting li[data-handoff='{handoff.handoff_id}']")
    waiting.wait_for()
    assert "Spanish" in waiting.inner_text()
    _announced(page, texts["new_waiting_notice"])

    # A colleague whose screen is behind (its live stream does not come through) still lists it.
    colleague_context = browser.new_context(locale="en-GB")
    pages.append(colleague_context)
    colleague_context.route("**/api/v1/handoffs/events", lambda route: route.abort())
    colleague = colleague_context.new_page()
    colleague.goto(f"{WEB}/inbox?lang=en")
    colleague.fill("#api-key", agent_keys["baraka"])
    colleague.keyboard.press("Enter")
    colleague.locator("#workspace").wait_for(state="visible")
    stale = colleague.locator(f"#waiting li[data-handoff='{handoff.handoff_id}']")
    stale.wait_for()

    # Before claiming, the conversation is shown without its personal data.
    waiting.get_by_role("button", name=texts["open_waiting"]).click()
    page.locator("#messages li.user").first.wait_for()
    assert page.locator("#redacted-note").is_visible()
    assert PHONE not in page.inner_text("#messages")

    # The agent claims; the citizen hears a person is there.
    waiting.get_by_role("button", name=texts["claim"]).click()
    page.locator("#notice", has_text=texts["claimed_notice"]).wait_for()
    page.locator("#holder-tools").wait_for(state="visible")
    assert citizen.next()["text"] == es.text("handoff_claimed")
    # Now the conversation is read in full: the number and the Spanish words as the citizen wrote them.
    page.locator("#redacted-note").wait_for(state="hidden")
    shown = page.inner_text("#messages")
    assert f"Hola, mi número es {PHONE}" in shown
    assert page.locator("#messages li.user", has_text=ASK).count() == 1

    # The colleague's claim, a moment late, is refused and the page says so.
    stale.get_by_role("button", name=texts["claim"]).click()
    colleague.locator("#problem", has_text=texts["taken_notice"]).wait_for()
    assert colleague.locator("#holder-tools").is_hidden()
    stored = _stored(desk, handoff)
    assert stored.status is Status.CLAIMED and stored.agent == "INT-301"

    # A typed reply reaches the citizen's socket verbatim.
    words = "Hola, soy Amina, del servicio al ciudadano. ¿En qué le puedo ayudar?"
    page.fill("#reply", words)
    page.click("#reply-form button[type=submit]")
    page.locator("#notice", has_text=texts["sent_notice"]).wait_for()
    assert citizen.next()["text"] == words
    # In the agent's pane, the person's words are theirs, not the assistant's.
    mine = page.locator("#messages li.person", has_text=words)
    mine.wait_for()
    assert mine.locator(".from").inner_text() == texts["from_person"]

    # A canned answer in the citizen's language too.
    canned = catalogues.canned_answers.in_language("es")[0][1]
    page.locator("#canned-box summary").click()
    page.locator("#canned li", has_text=canned).get_by_role("button").click()
    assert page.input_value("#reply") == canned
    page.click("#reply-form button[type=submit]")
    page.locator("#notice", has_text=texts["sent_notice"]).wait_for()
    assert citizen.next()["text"] == canned

    # While held, the citizen's message gets no answer from the assistant, but the agent sees it at
    # once and a screen reader says it.
    question = "¿Cuánto cuesta el pasaporte? Lo necesito para viajar el mes que viene."
    citizen.send(question)
    page.locator("#messages li.user", has_text=question).wait_for()
    _announced(page, question)
    assert page.locator("#announce").get_attribute("aria-live") == "assertive"
    assert citizen.quiet()

    # The agent ends with a reason: the assistant is back and asks for a rating.
    page.select_option("#end-reason", EndReason.RESOLVED.value)
    page.click("#end-form button[type=submit]")
    page.locator("#notice", has_text=texts["ended_notice"]).wait_for()
    rating = citizen.next()
    assert rating["text"] == es.text("handoff_ended")
    assert [r["title"] for r in rating["quick_replies"]] == ["1", "2", "3", "4", "5"]
    [comment] = citizen.say("4")
    assert comment["text"] == es.text("handoff_comment_ask")
    [thanks] = citizen.say("Muy amable, gracias")
    assert thanks["text"] == es.text("handoff_comment_thanks")

    # The rating is stored, and an analyst reads it in the figures.
    ended = _stored(desk, handoff)
    assert ended.status is Status.ENDED and ended.end_reason is EndReason.RESOLVED
    assert ended.rating == 4 and ended.comment == "Muy amable, gracias"
    status, body, _ = get(
        f"{WEB}/api/v1/insights/handoffs.csv?days=1", {"Authorization": f"Bearer {agent_keys['analyst']}"}
    )
    assert status == 200, body
    [row] = [r for r in csv.DictReader(io.StringIO(body)) if r["handoff_id"] == handoff.handoff_id]
    assert row["rating"] == "4" and row["status"] == "ended" and row["language"] == "es"

    # And the assistant answers the next question itself.
    answer = citizen.say("¿Cuánto cuesta el pasaporte?")
    assert catalogues.services.text("passport", "es").answer("fee") in _texts(answer)
    assert desk.handoffs.active(citizen.conversation) is None
