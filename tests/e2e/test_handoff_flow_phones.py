"""The whole handoff with the agent in the inbox page (Chromium) and a citizen on a phone: an SMS citizen
(the Twilio stand-in) and a USSD citizen whose notices and the agent's words come by SMS (the Africa's
Talking stand-in), who answers and rates by SMS. The citizen's side goes through the channels' real
webhooks, Rasa and its handoff door; the agent's through the page, its API, the outbox and
``action_handoff_relay``. The web-chat citizen's flow is tests/e2e/test_handoff_flow.py.
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from bot.catalogue.bundle import Catalogues
from bot.handoff.model import EndReason, Handoff, Status
from bot.services import Services
from tests.e2e.conftest import WEB, ProviderStandIn, get
from tests.e2e.test_browser import playwright_api
from tests.e2e.test_handoff import (
    SmsCitizen,
    SmsReader,
    _active,
    _at_sms,
    _stored,
    desk,  # noqa: F401 (a fixture)
    said,
)
from tests.e2e.test_handoff_flow import agent_keys  # noqa: F401
from tests.e2e.test_inbox import _announced, _open_inbox, _sign_in, pages  # noqa: F401
from tests.e2e.test_ussd_sms import _in_language, _option

AT_SMS = "/version1/messaging"


class UssdPhone(SmsReader):
    """A phone on USSD that reads and writes SMS through Africa's Talking (read from the stand-in)."""

    path = AT_SMS
    to, body = "to", "message"

    def __init__(self, stand_in: ProviderStandIn) -> None:
        super().__init__(stand_in, f"+25473{uuid.uuid4().int % 10_000_000:07d}")
        self.conversation = f"ussd:{self.phone}"

    def sms(self, text: str) -> None:
        assert _at_sms(self.phone, text) == 200


def _claim_in_the_page(page: Any, texts: dict[str, str], handoff: Handoff, channel: str) -> None:
    """The agent sees the citizen arrive without a reload, reads the redacted conversation, claims."""
    waiting = page.locator(f"#waiting li[data-handoff='{handoff.handoff_id}']")
    waiting.wait_for()
    assert "Spanish" in waiting.inner_text() and channel in waiting.inner_text()
    _announced(page, texts["new_waiting_notice"])
    waiting.get_by_role("button", name=texts["open_waiting"]).click()
    page.locator("#messages li.user").first.wait_for()
    assert page.locator("#redacted-note").is_visible()
    waiting.get_by_role("button", name=texts["claim"]).click()
    page.locator("#notice", has_text=texts["claimed_notice"]).wait_for()
    page.locator("#holder-tools").wait_for(state="visible")
    page.locator("#redacted-note").wait_for(state="hidden")


def _reply_in_the_page(page: Any, texts: dict[str, str], words: str) -> None:
    page.fill("#reply", words)
    page.click("#reply-form button[type=submit]")
    page.locator("#notice", has_text=texts["sent_notice"]).wait_for()  # said at once, not later
    mine = page.locator("#messages li.person", has_text=words)
    mine.wait_for()  # the person's words, labelled as theirs (on SMS too), not the assistant's
    assert mine.locator(".from").inner_text() == texts["from_person"]


def _end_in_the_page(page: Any, texts: dict[str, str]) -> None:
    page.select_option("#end-reason", EndReason.RESOLVED.value)
    page.click("#end-form button[type=submit]")
    page.locator("#notice", has_text=texts["ended_notice"]).wait_for()
    page.locator("#mine-empty").wait_for(state="visible")


def _in_the_figures(analyst_key: str, handoff: Handoff, rating: int, channel: str) -> None:
    status, body, _ = get(
        f"{WEB}/api/v1/insights/handoffs.csv?days=1", {"Authorization": f"Bearer {analyst_key}"}
    )
    assert status == 200, body
    [row] = [r for r in csv.DictReader(io.StringIO(body)) if r["handoff_id"] == handoff.handoff_id]
    assert (row["rating"], row["status"], row["channel"]) == (str(rating), "ended", channel)


def test_an_sms_citizen_and_an_agent_in_the_inbox_from_asking_to_rating(
    browser: playwright_api.Browser,
    pages: list[Any],  # noqa: F811
    agent_keys: dict[str, str],  # noqa: F811
    desk: Services,  # noqa: F811
    telegram_api: ProviderStandIn,
    catalogues: Catalogues,
) -> None:
    es = catalogues.locales["es"]
    texts = catalogues.locales["en"].inbox
    page = _open_inbox(browser, pages, "en")
    _sign_in(page, agent_keys["amina"])

    # A Spanish SMS citizen asks for a person and is told their place by SMS.
    citizen = SmsCitizen(telegram_api)
    assert said(es, "handoff_queued_sms", citizen.say("Quiero hablar con una persona"), position=1)
    handoff = _active(desk, citizen.conversation)
    assert handoff.channel == "twilio" and handoff.language == "es"

    # The agent claims in the page; the citizen is told by SMS that a person is there.
    _claim_in_the_page(page, texts, handoff, "twilio")
    assert citizen.received().startswith(es.text("handoff_claimed_sms"))
    assert page.locator("#messages li.user", has_text="Quiero hablar con una persona").count() == 1

    # The agent's words arrive by SMS, verbatim.
    words = "Buenas tardes, soy Amina. ¿En qué le puedo ayudar?"
    _reply_in_the_page(page, texts, words)
    assert citizen.received() == words

    # The citizen's SMS appears in the agent's pane at once, announced; the assistant says nothing.
    citizen.send("Mi pasaporte no llega desde hace dos meses")
    page.locator("#messages li.user", has_text="Mi pasaporte no llega").wait_for()
    _announced(page, "Mi pasaporte no llega")
    assert citizen.quiet()  # neither an answer nor a "try again"

    # The agent ends: the assistant is back and asks for a rating by SMS; it is stored.
    _end_in_the_page(page, texts)
    rating = citizen.received()
    assert rating.startswith(es.text("handoff_ended")) and "5." in rating
    assert citizen.say("5").startswith(es.text("handoff_comment_ask"))
    assert citizen.say("Muy rápido, gracias").startswith(es.text("handoff_comment_thanks"))
    ended = _stored(desk, handoff)
    assert ended.status is Status.ENDED and ended.end_reason is EndReason.RESOLVED
    assert (ended.rating, ended.comment, ended.agent) == (5, "Muy rápido, gracias", "INT-301")
    _in_the_figures(agent_keys["analyst"], handoff, 5, "twilio")

    # And the assistant answers the next question itself.
    fee = catalogues.services.text("passport", "es").answer("fee")
    assert fee[:40] in citizen.say("¿Cuánto cuesta el pasaporte?")
    assert desk.handoffs.active(citizen.conversation) is None


def test_a_ussd_citizen_and_an_agent_in_the_inbox_the_persons_words_by_sms(
    browser: playwright_api.Browser,
    pages: list[Any],  # noqa: F811
    agent_keys: dict[str, str],  # noqa: F811
    desk: Services,  # noqa: F811
    telegram_api: ProviderStandIn,
    catalogues: Catalogues,
) -> None:
    es = catalogues.locales["es"]
    texts = catalogues.locales["en"].inbox
    page = _open_inbox(browser, pages, "en")
    _sign_in(page, agent_keys["amina"])

    # A Spanish USSD citizen picks "Talk to a person" in the menu; the screen gives their place.
    phone = UssdPhone(telegram_api)
    session = _in_language(phone.phone, "es", catalogues)
    screen = session.step("00")
    while es.text("menu_person")[:20] not in screen:
        screen = session.step("98")
    screen = session.step(_option(screen, es.text("menu_person")))
    assert said(es, "handoff_queued_sms", " ".join(screen[4:].split()), position=1), screen
    handoff = _active(desk, phone.conversation)
    assert handoff.channel == "ussd" and handoff.language == "es"

    # The agent claims in the page: the citizen is told by SMS (a USSD session cannot be written to).
    _claim_in_the_page(page, texts, handoff, "ussd")
    assert phone.received() == es.text("handoff_claimed_sms")

    words = "Hola, le llamo en cinco minutos. ¿Me confirma su nombre?"
    _reply_in_the_page(page, texts, words)
    assert phone.received() == words

    # The citizen answers by SMS: it is in the conversation the agent holds, shown and announced.
    phone.sms("Me llamo Rosa, gracias.")
    page.locator("#messages li.user", has_text="Me llamo Rosa").wait_for()
    _announced(page, "Me llamo Rosa")
    assert phone.quiet()  # a person holds it: the assistant sends nothing

    # The agent ends in the page; the rating is asked by SMS, answered by SMS, stored.
    _end_in_the_page(page, texts)
    assert phone.received().startswith(es.text("handoff_ended"))
    phone.sms("4")
    assert phone.received().startswith(es.text("handoff_comment_ask"))
    phone.sms("Muy amable")
    assert phone.received().startswith(es.text("handoff_comment_thanks"))
    ended = _stored(desk, handoff)
    assert ended.status is Status.ENDED and (ended.rating, ended.comment) == (4, "Muy amable")
    _in_the_figures(agent_keys["analyst"], handoff, 4, "ussd")
    assert desk.handoffs.active(phone.conversation) is None
