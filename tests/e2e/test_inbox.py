"""The agents' inbox in a real browser against the running stack: a Spanish citizen's real conversation
is handed over, an agent sees it arrive without a reload, claims it, reads it, replies with a canned
answer, a colleague's claim is refused, the conversation is transferred to another desk where a second
agent takes it and ends it; axe-core finds nothing, left-to-right and right-to-left.

The citizen is real on both ends: they ask for a person (so the general desk's queue), and, writing
on Rasa's REST channel (which only answers requests), they hear what the desk said with the answer
to their next message. The whole flow on the web chat's socket is tests/e2e/test_handoff_flow.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import redis

from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.catalogue.bundle import Catalogues
from bot.handoff.desks import load_desks
from bot.handoff.service import Agent, HandoffService
from bot.handoff.store import HandoffStore
from bot.runtime.stack import Stack
from bot.settings import PROJECT_ROOT
from tests.e2e.conftest import (
    E2E_REDIS_URL,
    WEB,
    Citizen,
    get,
    post_json,
    records,
)
from tests.e2e.test_browser import AXE, _require, playwright_api

PHONE = "0712 345 678"
GENERAL = "citizen_services"
WCAG = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']"


@pytest.fixture()
def client(stack: Stack) -> redis.Redis[bytes]:
    return redis.Redis.from_url(E2E_REDIS_URL)


@pytest.fixture()
def keys(client: redis.Redis[bytes]) -> dict[str, str]:
    store = records().api_keys
    now = utc_now()
    return {
        "general": store.create("interior", Role.AGENT, "Hana", now, person="INT-101", desks=(GENERAL,))[0],
        "general2": store.create("interior", Role.AGENT, "Juma", now, person="INT-102", desks=(GENERAL,))[0],
        "disaster": store.create(
            "disaster", Role.AGENT, "Dalia", now, person="DIS-201", desks=("disaster_desk",)
        )[0],
        "author": store.create("health", Role.AUTHOR, "an author", now, person="MOH-001")[0],
    }


@pytest.fixture()
def handoffs(client: redis.Redis[bytes], catalogues: Catalogues) -> HandoffService:
    desks = load_desks(PROJECT_ROOT / "config", set(catalogues.ministries.ministries))
    return HandoffService(HandoffStore(client), lambda: desks, utc_now, timedelta(days=1))


@pytest.fixture()
def pages(browser: playwright_api.Browser) -> Iterator[list[Any]]:
    contexts: list[Any] = []
    yield contexts
    for context in contexts:
        context.close()


def _open_inbox(browser: playwright_api.Browser, pages: list[Any], language: str, **options: Any) -> Any:
    context = browser.new_context(locale="en-GB", **options)
    pages.append(context)
    page = context.new_page()
    page.goto(f"{WEB}/inbox?lang={language}")
    return page


def _sign_in(page: Any, key: str) -> None:
    page.fill("#api-key", key)
    page.keyboard.press("Enter")
    page.locator("#workspace").wait_for(state="visible")
    page.locator("#live-state:not(:empty)").wait_for()  # the live stream is open


def _announced(page: Any, text: str) -> None:
    """``text`` was put in the page's assertive live region (read out by screen readers)."""
    page.wait_for_function(
        "text => document.getElementById('announce').textContent.includes(text)", arg=text, timeout=15_000
    )


def _hand_over(citizen: Citizen, handoffs: HandoffService) -> str:
    """The citizen asks for a person: the general desk's queue."""
    queued = "\n".join(m.get("text", "") for m in citizen.say("Quiero hablar con una persona"))
    handoff = handoffs.active(citizen.conversation)
    assert handoff is not None and handoff.desk == GENERAL, queued
    return handoff.handoff_id


def _said(citizen: Citizen, text: str) -> list[str]:
    """What the (REST) citizen is told when they write ``text``: the desk's words first."""
    return [str(m.get("text") or "") for m in citizen.say(text)]


def _api(method: str, path: str, key: str, body: Any = None) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {key}"}
    if method == "GET":
        status, text, _ = get(f"{WEB}{path}", headers)
        return status, json.loads(text)
    return post_json(f"{WEB}{path}", body or {}, headers)


def test_an_agent_claims_reads_replies_transfers_and_a_colleague_ends(
    browser: playwright_api.Browser,
    pages: list[Any],
    keys: dict[str, str],
    handoffs: HandoffService,
    client: redis.Redis[bytes],
    catalogues: Catalogues,
) -> None:
    texts = catalogues.locales["en"].inbox
    console = catalogues.locales["en"].console
    es = catalogues.locales["es"]
    citizen = Citizen({"language": "es"})
    assert citizen.say(f"Hola, mi número es {PHONE}")  # a real conversation: the assistant answers

    page = _open_inbox(browser, pages, "en")
    page.fill("#api-key", keys["author"])  # another role's key: the inbox is not theirs
    page.keyboard.press("Enter")
    page.locator("#key-error", has_text=texts["not_agent"]).wait_for()
    assert page.locator("#workspace").is_hidden()
    _sign_in(page, keys["general"])
    assert "Ministry of Interior" in page.inner_text("#who") and GENERAL in page.inner_text("#desks")

    # The citizen is handed over: the waiting list shows them without a reload.
    handoff_id = _hand_over(citizen, handoffs)
    waiting = page.locator(f"#waiting li[data-handoff='{handoff_id}']")
    waiting.wait_for()
    assert "Spanish" in waiting.inner_text() and "Waiting for" in waiting.inner_text()
    _announced(page, texts["new_waiting_notice"])

    # Before claiming: the conversation with its personal data hidden.
    waiting.get_by_role("button", name=texts["open_waiting"]).click()
    page.locator("#messages li.user").first.wait_for()
    assert page.locator("#redacted-note").is_visible()
    assert PHONE not in page.inner_text("#messages")
    assert page.locator("#messages li.bot").count() >= 1  # the assistant's replies are there too

    # Claim by keyboard; a colleague's claim is then refused.
    page.focus("#claim-open")
    page.keyboard.press("Enter")
    page.locator("#notice", has_text=texts["claimed_notice"]).wait_for()
    page.locator(f"#mine li[data-handoff='{handoff_id}']").wait_for()
    page.locator("#holder-tools").wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "conversation-heading"
    assert PHONE in page.inner_text("#messages") and page.locator("#redacted-note").is_hidden()
    assert page.locator(f"#waiting li[data-handoff='{handoff_id}']").count() == 0
    status, refused = _api("POST", f"/api/v1/handoffs/{handoff_id}/claim", keys["general2"])
    assert status == 409, refused

    # A new message of the citizen is shown and announced; the citizen hears a person is there.
    assert es.text("handoff_claimed") in _said(citizen, "¿Sigue ahí?")
    page.locator("#messages li.user", has_text="¿Sigue ahí?").wait_for()
    _announced(page, "¿Sigue ahí?")

    # Reply with a canned answer in the citizen's language (Spanish), sent with the keyboard.
    greeting = catalogues.canned_answers.in_language("es")[0][1]
    page.locator("#canned-box summary").click()
    page.locator("#canned li", has_text=greeting).get_by_role("button").click()
    assert page.input_value("#reply") == greeting
    page.click("#reply-form button[type=submit]")
    # Rasa's REST channel only answers requests: said with the answer to the citizen's next message.
    page.locator("#notice", has_text=texts["sent_later_notice"]).wait_for()
    assert page.input_value("#reply") == ""
    assert _said(citizen, "¿Hola?")[0] == greeting  # the citizen really receives it

    # An empty reply is refused beside the field.
    page.click("#reply-form button[type=submit]")
    assert page.inner_text("#reply-error") == console["field_required"]

    # Transfer to the disaster desk with a note; its agent sees it arrive, claims it and ends it.
    colleague = _open_inbox(browser, pages, "en")
    _sign_in(colleague, keys["disaster"])
    page.select_option("#transfer-desk", "disaster_desk")
    page.fill("#transfer-note", f"Flooding near the clinic, call {PHONE}")
    page.click("#transfer-form button[type=submit]")
    page.locator("#notice", has_text="disaster_desk").wait_for()
    page.locator(f"#mine li[data-handoff='{handoff_id}']").wait_for(state="detached")
    assert page.locator("#conversation").is_hidden()
    arrived = colleague.locator(f"#waiting li[data-handoff='{handoff_id}']")
    arrived.wait_for()
    arrived.get_by_role("button", name=texts["claim"]).click()
    colleague.locator("#holder-tools").wait_for(state="visible")
    assert f"call {PHONE}" in colleague.inner_text("#notes")  # the note, in full to its holder
    colleague.select_option("#end-reason", "referred")
    colleague.click("#end-form button[type=submit]")
    colleague.locator("#notice", has_text=texts["ended_notice"]).wait_for()
    colleague.locator("#mine-empty").wait_for(state="visible")

    ended = handoffs.active(citizen.conversation)
    assert ended is None  # nobody holds it: the assistant is back
    # The citizen hears all of it, in order, with the answer to their next message; then rates.
    told = _said(citizen, "5")
    transferred = next(
        i for i, text in enumerate(told) if text.startswith(es.messages["handoff_transferred"][:30])
    )
    assert told[transferred + 1 :] == [
        es.text("handoff_claimed"),
        es.text("handoff_ended"),
        es.text("handoff_comment_ask"),
    ], told
    assert handoffs.get(Agent("DIS-201", frozenset({"disaster_desk"})), handoff_id).rating == 5


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_inbox_has_no_wcag_a_or_aa_violation(
    browser: playwright_api.Browser,
    pages: list[Any],
    keys: dict[str, str],
    handoffs: HandoffService,
    catalogues: Catalogues,
    language: str,
) -> None:
    _require(AXE.exists(), "axe-core (npm)")
    citizen = Citizen({"language": "es"})
    citizen.say("مرحبا" if language == "ar" else "Hola")
    page = _open_inbox(browser, pages, language, bypass_csp=True)  # to inject axe
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    _sign_in(page, keys["general"])
    handoff_id = _hand_over(citizen, handoffs)
    _hand_over(Citizen({"language": "es"}), handoffs)  # a second one stays waiting
    page.locator(f"#waiting li[data-handoff='{handoff_id}'] button").last.click()  # claim
    page.locator("#holder-tools").wait_for(state="visible")
    page.locator("#canned-box summary").click()
    page.click("#reply-form button[type=submit]")  # empty: the field's error is shown
    page.locator("#reply-error:not(:empty)").wait_for()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        f"async () => await axe.run(document, {{runOnly: {{type: 'tag', values: {WCAG}}}}})"
    )
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == []
