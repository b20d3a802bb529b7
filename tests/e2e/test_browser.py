"""The citizen chat page in a real browser (Debian chromium, headless) against the running stack."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from bot.catalogue.bundle import Catalogues
from bot.runtime.stack import Stack
from bot.settings import PROJECT_ROOT
from tests.e2e.conftest import RASA, WEB, WIDGET_ORIGIN, WIDGET_PORT

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NODE_MODULES = PROJECT_ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
WEBCHAT = NODE_MODULES / "rasa-webchat" / "lib" / "index.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _require(condition: bool, what: str) -> None:
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is required in CI (see .ci/run)")
        pytest.skip(f"{what} is not installed: apt-get install chromium; npm install")


@pytest.fixture()
def page(stack: Stack, browser: playwright_api.Browser) -> Iterator[playwright_api.Page]:
    context = browser.new_context(bypass_csp=True, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def _send(page: playwright_api.Page, text: str) -> None:
    page.fill("#message", text)
    page.keyboard.press("Enter")


def _wait_bot_text(page: playwright_api.Page, text: str, timeout: float = 30_000) -> playwright_api.Locator:
    locator = page.locator(".msg.bot", has_text=text.splitlines()[0]).last
    locator.wait_for(timeout=timeout)
    return locator


def test_type_send_and_see_the_reply(page: playwright_api.Page, catalogues: Catalogues) -> None:
    page.goto(f"{WEB}/?lang=en")
    page.wait_for_selector("#status:has-text('Connected')")
    _send(page, "How much does a passport cost?")
    page.locator(".msg.user", has_text="How much does a passport cost?").wait_for()
    fee = catalogues.services.text("passport", "en").answer("fee")
    reply = _wait_bot_text(page, fee)
    assert fee.splitlines()[0] in reply.inner_text()
    assert reply.get_attribute("lang") == "en"


def test_arabic_reply_is_right_to_left(page: playwright_api.Page, catalogues: Catalogues) -> None:
    page.goto(f"{WEB}/?lang=en")
    page.wait_for_selector("#status:has-text('Connected')")
    _send(page, "مرحبا، كم رسوم جواز السفر؟")
    reply = _wait_bot_text(page, catalogues.services.text("passport", "ar").name)
    assert reply.get_attribute("dir") == "rtl"
    assert reply.get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"


def test_keyboard_only_conversation(page: playwright_api.Page, catalogues: Catalogues) -> None:
    page.goto(f"{WEB}/?lang=fr")
    page.wait_for_selector("#status:has-text('Connecté')")
    page.keyboard.press("Tab")  # skip link first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "message"
    page.keyboard.type("bonjour")
    page.keyboard.press("Enter")
    _wait_bot_text(page, catalogues.locales["fr"].text("greeting"))
    # Tab from the message box back into the conversation reaches the choice buttons.
    first_choice = page.locator(".choices button").first
    first_choice.focus()
    page.keyboard.press("Enter")
    _wait_bot_text(page, catalogues.locales["fr"].text("service_which"))


def test_language_selector_switches_page_and_conversation(
    page: playwright_api.Page, catalogues: Catalogues
) -> None:
    page.goto(f"{WEB}/?lang=en")
    page.wait_for_selector("#status:has-text('Connected')")
    page.select_option("#language", "sw")
    _wait_bot_text(page, catalogues.locales["sw"].text("language_changed"))
    assert page.locator("html").get_attribute("lang") == "sw"
    assert page.locator("label[for=message]").inner_text() == catalogues.locales["sw"].page["input_label"]


def test_html_in_messages_is_shown_as_text(page: playwright_api.Page) -> None:
    page.goto(f"{WEB}/?lang=en")
    page.wait_for_selector("#status:has-text('Connected')")
    attack = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    _send(page, attack)
    page.locator(".msg.user", has_text="<img src=x").wait_for()
    page.locator(".msg.bot").nth(0).wait_for()
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".msg.user img").count() == 0


@pytest.mark.parametrize("language", ["en", "ar"])
def test_axe_finds_no_wcag_a_or_aa_violation(
    page: playwright_api.Page, catalogues: Catalogues, language: str
) -> None:
    _require(AXE.exists(), "axe-core (npm)")
    page.goto(f"{WEB}/?lang={language}")
    page.wait_for_selector("#status[data-text]")
    _send(page, "hello" if language == "en" else "مرحبا")
    page.locator(".choices button").first.wait_for(timeout=30_000)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == []
    assert len(result["passes"]) > 10


@pytest.fixture()
def webchat_page(tmp_path: Path) -> Iterator[str]:
    """A page embedding the rasa-webchat widget (npm), served on loopback."""
    _require(WEBCHAT.exists(), "rasa-webchat (npm)")
    shutil.copy(WEBCHAT, tmp_path / "webchat.js")
    (tmp_path / "index.html").write_text(
        """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>widget</title></head>
<body><div id="webchat"></div><script src="webchat.js"></script>
<script>WebChat.default({selector: "#webchat", initPayload: "hello", customData: {language: "en"},
socketUrl: "__RASA__", socketPath: "/socket.io/", title: "Baraza", embedded: true,
params: {storage: "session"}}, null);</script></body></html>""".replace("__RASA__", RASA),
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", WIDGET_PORT), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"{WIDGET_ORIGIN}/index.html"
    server.shutdown()


def test_rasa_webchat_widget_chats_with_the_same_server(
    stack: Stack, browser: playwright_api.Browser, webchat_page: str, catalogues: Catalogues
) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(webchat_page)
        greeting = catalogues.locales["en"].text("greeting")
        page.get_by_text(greeting[:40]).first.wait_for(timeout=30_000)
        page.locator(".rw-new-message").fill("What documents do I need for a police clearance certificate?")
        page.keyboard.press("Enter")
        documents = catalogues.services.text("police_clearance", "en").answer("documents").splitlines()[0]
        page.get_by_text(documents.lstrip("• ")[:30]).first.wait_for(timeout=30_000)
    finally:
        context.close()


def test_silence_is_announced_and_the_next_try_is_answered(
    page: playwright_api.Page, stack: Stack, catalogues: Catalogues
) -> None:
    """With the action server down Rasa answers nothing; the page says so instead of leaving a void."""
    page.clock.install()
    page.goto(f"{WEB}/?lang=en")
    page.wait_for_selector("#status:has-text('Connected')")
    no_answer = catalogues.locales["en"].page["no_answer"]
    answers = page.locator(".msg.bot").count()
    stack.crash("action-server")
    try:
        _send(page, "How much does a passport cost?")
        page.locator(".msg.user", has_text="How much does a passport cost?").wait_for()
        time.sleep(2)  # Rasa has tried the action and dropped the turn
        assert page.locator(".msg.bot").count() == answers
        page.clock.fast_forward(16_000)
        page.locator("#status", has_text=no_answer).wait_for()
    finally:
        stack.revive("action-server")
    _send(page, "How much does a passport cost?")
    fee = catalogues.services.text("passport", "en").answer("fee")
    _wait_bot_text(page, fee)
    page.wait_for_selector("#status:has-text('Connected')")
