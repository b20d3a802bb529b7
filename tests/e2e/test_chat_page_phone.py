"""The citizen chat page on a phone (Chromium at 390×844): the conversation scrolls in its own region,
the newest message and the message box stay on the screen, a reload brings the conversation back, and
codes and foreign-language text inside Arabic keep their order."""

from __future__ import annotations

import time
import uuid
from datetime import timezone
from typing import Any, Iterator

import pytest

from bot.alerts.load_samples import sample_alerts
from bot.assistant.alert_messages import alert_details
from bot.catalogue.bundle import Catalogues
from bot.concerns.ticket import find_ticket
from bot.identity import conversation_path
from bot.runtime.stack import Stack
from bot.settings import PROJECT_ROOT
from bot.web.history import conversation_id
from tests.e2e.conftest import AUTH_TOKEN, RASA, WEB, Citizen, post_json
from tests.e2e.test_browser import AXE, _require

playwright_api = pytest.importorskip("playwright.sync_api")

PHONE = {"width": 390, "height": 844}

#: Ten messages of a conversation that ends with a filed report; "choice" taps the first button offered
#: (the category named, the first region, yes to contact, send).
CONVERSATIONS = {
    "en": [
        "hello",
        "How much does a passport cost?",
        "What documents do I need for a national ID card?",
        "thank you",
        "I want to report a problem",
        ("choice", "Water and sanitation"),
        "There has been no water in our street since Monday, the pump is broken.",
        ("choice", None),
        ("choice", None),
        ("choice", None),
    ],
    "ar": [
        "مرحبا",
        "كم رسوم جواز السفر؟",
        "ما الوثائق المطلوبة لبطاقة الهوية الوطنية؟",
        "شكرا",
        "أريد الإبلاغ عن مشكلة",
        ("choice", "المياه والصرف الصحي"),
        "لا توجد مياه في شارعنا منذ يوم الاثنين، والمضخة معطلة.",
        ("choice", None),
        ("choice", None),
        ("choice", None),
    ],
}

#: Where a piece of text is drawn: the box of the first occurrence of `needle` inside `root`.
TEXT_BOX = """([root, needle]) => {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(needle);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at); range.setEnd(node, at + needle.length);
      const r = range.getBoundingClientRect();
      return {x: r.x, y: r.y, width: r.width, height: r.height};
    }
  }
  return null;
}"""

#: Whether a box lies inside the visible part of the conversation and of the screen.
IN_VIEW = """([el, needle]) => {
  const conv = document.getElementById("conversation").getBoundingClientRect();
  let box = el.getBoundingClientRect();
  if (needle) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(needle);
      if (at >= 0) {
        const range = document.createRange();
        range.setStart(node, at); range.setEnd(node, at + needle.length);
        box = range.getBoundingClientRect(); break;
      }
    }
  }
  const top = Math.max(conv.top, 0), bottom = Math.min(conv.bottom, window.innerHeight);
  const fits = box.height <= bottom - top;
  return box.top >= top - 1 && (fits ? box.bottom <= bottom + 1 : box.top < bottom);
}"""


@pytest.fixture()
def phone(stack: Stack, browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, bypass_csp=True
    )
    page = context.new_page()
    yield page
    context.close()


def _settle(page: Any, answers_before: int) -> None:
    """Wait for the assistant's whole reply: a new message, then no further one for a moment."""
    page.wait_for_function(
        "n => document.querySelectorAll('#log .msg.bot').length > n", arg=answers_before, timeout=30_000
    )
    count = -1
    while count != page.locator("#log .msg.bot").count():
        count = page.locator("#log .msg.bot").count()
        time.sleep(0.8)


def _turn(page: Any, step: str | tuple[str, str | None]) -> None:
    before = page.locator("#log .msg.bot").count()
    if isinstance(step, tuple):
        buttons = page.locator(".choices").last.locator("button")
        (buttons.filter(has_text=step[1]).first if step[1] else buttons.first).click()
    else:
        page.fill("#message", step)
        page.keyboard.press("Enter")
    _settle(page, before)


def _in_view(page: Any, locator: Any, needle: str | None = None) -> None:
    handle = locator.element_handle()
    page.wait_for_function(IN_VIEW, arg=[handle, needle], timeout=5_000)


def _input_on_screen(page: Any) -> None:
    box = page.locator("#message").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert page.evaluate("document.scrollingElement.scrollHeight") <= PHONE["height"]  # no page scroll
    assert page.evaluate("window.scrollY") == 0


def _axe_clean(page: Any) -> None:
    _require(AXE.exists(), "axe-core (npm)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_on_a_phone_the_newest_message_stays_above_the_input_and_a_reload_brings_it_back(
    phone: Any, catalogues: Catalogues, language: str
) -> None:
    page = phone
    texts = catalogues.locales[language].page
    page.goto(f"{WEB}/?lang={language}")
    page.locator("#status", has_text=texts["connected"]).wait_for()
    for step in CONVERSATIONS[language]:
        _turn(page, step)
        _in_view(page, page.locator("#log .msg").last)  # the newest message, after every turn
        _input_on_screen(page)
    assert page.locator("#log .msg.user").count() == 10
    filed = page.locator("#log .msg.bot").last
    ticket = find_ticket(filed.inner_text())
    assert ticket is not None, filed.inner_text()
    _in_view(page, page.locator("#log .msg.bot", has_text=ticket).first, ticket)  # the ticket itself

    page.reload()
    page.locator("#status", has_text=texts["restored"]).wait_for()
    restored = page.locator("#earlier .msg")
    assert restored.filter(has_text=CONVERSATIONS[language][1]).count() == 1  # what the citizen asked
    assert restored.filter(has_text=ticket).count() >= 1
    assert page.locator("#log .msg").count() == 0  # nothing re-enters the live region: no re-reading
    assert page.locator("html").get_attribute("lang") == language
    _in_view(page, restored.last)
    _in_view(page, page.locator("#earlier .msg.bot", has_text=ticket).last, ticket)
    _input_on_screen(page)
    _axe_clean(page)

    _turn(page, "hello" if language == "en" else "مرحبا")  # the same conversation goes on
    _in_view(page, page.locator("#log .msg").last)
    _input_on_screen(page)


def _box(page: Any, locator: Any, needle: str) -> dict[str, float]:
    box = page.evaluate(TEXT_BOX, [locator.element_handle(), needle])
    assert box is not None, needle
    return dict(box)


def test_codes_and_english_inside_arabic_keep_their_order(phone: Any, catalogues: Catalogues) -> None:
    page = phone
    texts = catalogues.locales["ar"].page
    page.goto(f"{WEB}/?lang=ar")
    page.locator("#status", has_text=texts["connected"]).wait_for()
    _turn(page, "مرحبا")

    # "حالة S8WEDS": Arabic first, so on the right; the code to its left.
    _turn(page, "حالة S8WEDS")
    typed = page.locator("#log .msg.user").last
    assert typed.get_attribute("dir") == "rtl"
    assert _box(page, typed, "حالة")["x"] > _box(page, typed, "S8WEDS")["x"]
    answer = page.locator("#log .msg.bot", has_text="S8WEDS").last
    assert answer.locator("bdi", has_text="S8WEDS").count() == 1
    assert answer.get_attribute("dir") == "rtl"

    # An alert that exists in English only, told in an Arabic reply: its sentences read left to right
    # with their full stop at the end, the Arabic lines around them right to left.
    heat = next(
        a for a in sample_alerts(PROJECT_ROOT / "data" / "samples" / "alerts.yml") if "ar" not in a.texts
    )
    details = alert_details(catalogues, "ar", heat)
    english = heat.texts["en"].description  # "Temperatures above 42 °C are expected this week."
    assert english in details and english.endswith(".")
    secret = page.evaluate("localStorage.getItem('baraza.session')")
    sender = conversation_path(conversation_id(secret))  # as the delivery workers address it
    status, body = post_json(
        f"{RASA}/conversations/{sender}/tracker/events?token={AUTH_TOKEN}",
        {
            "event": "bot",
            "text": details,
            "metadata": {"language": "ar", "direction": "rtl"},
            "timestamp": time.time(),
        },
    )
    assert status == 200, body

    page.reload()
    page.locator("#status", has_text=texts["restored"]).wait_for()
    told = page.locator("#earlier .msg.bot", has_text=english.split()[0]).last
    assert told.get_attribute("dir") == "rtl"
    line = told.locator("span[dir=ltr]", has_text=english.split()[0])
    assert line.count() == 1
    first_word, last_word = english.split()[0], english.rstrip(".").split()[-1]
    full_stop = _box(page, line, ".")  # the description's only full stop, at its end
    assert _box(page, line, first_word)["x"] < _box(page, line, last_word)["x"] < full_stop["x"]
    # The end of validity, "2026-12-03" after Arabic words: year, month and day left to right.
    until = heat.expires.astimezone(timezone.utc).strftime("%Y-%m-%d")
    assert until in told.inner_text()
    year, month, day = (_box(page, told, part)["x"] for part in (until[:4], until[4:7], until[7:]))
    assert year < month < day


def test_the_history_never_shows_a_conversation_of_another_channel(stack: Stack) -> None:
    """Even with its id at hand: a conversation nobody wrote to from the web chat shows nothing."""
    other = Citizen()
    other.sender = f"rest-{uuid.uuid4().hex}"  # as long as a web secret, but a REST conversation
    assert other.say("hello")
    assert post_json(f"{WEB}/chat/history", {"session_id": other.sender}) == (200, {"messages": []})
    status, _ = post_json(f"{WEB}/chat/history", {"session_id": "+254700000000"})  # an SMS citizen's id
    assert status == 400
