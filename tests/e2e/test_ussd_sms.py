"""USSD and SMS through Africa's Talking, in the gateway's own formats, against the running stack;
outbound SMS captured by a local stand-in of the gateway's API."""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator

import pytest

from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.catalogue.bundle import Catalogues
from bot.channels.formatting import encoding, segments
from bot.concerns.ticket import find_ticket
from bot.runtime.stack import Stack
from tests.e2e.conftest import AT_API_KEY, AT_CALLBACK_TOKEN, RASA, ProviderStandIn, records

LIMIT = 182


def _post_form(path: str, form: dict[str, str], token: str | None = AT_CALLBACK_TOKEN) -> tuple[int, str]:
    url = f"{RASA}{path}" + (f"?token={token}" if token is not None else "")
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode())
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return int(reply.status), reply.read().decode()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode()


class UssdSession:
    """One dial of *384*1#: every entry is appended to ``text`` with *, as the gateway does."""

    def __init__(self, phone: str) -> None:
        self.session_id = "ATUid_" + uuid.uuid4().hex
        self.phone = phone
        self.entries: list[str] = []

    def step(self, entry: str | None = None) -> str:
        if entry is not None:
            self.entries.append(entry)
        form = {
            "sessionId": self.session_id,
            "serviceCode": "*384*1#",
            "phoneNumber": self.phone,
            "networkCode": "63902",
            "text": "*".join(self.entries),
        }
        status, screen = _post_form("/webhooks/ussd/webhook", form)
        assert status == 200, screen
        assert screen.startswith(("CON ", "END ")), screen
        assert len(screen[4:]) <= LIMIT, (len(screen[4:]), screen)
        return screen


def _option(screen: str, title: str) -> str:
    for line in screen[4:].splitlines():
        number, _, rest = line.partition(". ")
        if number.isdigit() and rest.startswith(title[:20]):
            return number
    raise AssertionError(f"{title!r} not on screen:\n{screen}")


def _in_language(phone: str, language: str, catalogues: Catalogues) -> UssdSession:
    session = UssdSession(phone)
    home = session.step()
    assert home.startswith("CON ")
    screen = session.step(
        _option(home, catalogues.locales["en"].text("menu_language")) if "Baraza. Choose" in home else "5"
    )
    name = catalogues.languages.get(language).name
    screen = session.step(_option(screen, name))
    assert screen.startswith("CON ") and catalogues.locales[language].text("language_changed")[:15] in screen
    return session


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "pt", "sw"])
def test_ussd_walk_through_every_top_level_menu(stack: Stack, catalogues: Catalogues, language: str) -> None:
    phone = f"+25470{uuid.uuid4().int % 10_000_000:07d}"
    locale = catalogues.locales[language]
    menu = [
        locale.text(k)
        for k in (
            "menu_services",
            "menu_crisis",
            "menu_alerts",
            "menu_person",
            "menu_language",
            "menu_subscribe",
            "menu_concern",
        )
    ]
    for title in menu:
        session = _in_language(phone, language, catalogues)
        home = session.step("00")
        assert home.startswith("CON " + locale.text("ussd_title"))
        page = home
        while title[:20] not in page:  # the home menu may span pages: "98 More"
            assert f"98 {locale.text('ussd_more')}" in page, (title, page)
            page = session.step("98")
        screen = session.step(_option(page, title))
        if title == locale.text("menu_person"):  # an answer: its pages, the last one ends the session
            while screen.startswith("CON "):
                assert screen.endswith(f"98 {locale.text('ussd_more')}")
                screen = session.step("98")
            assert screen.startswith("END ")
            continue
        assert screen.startswith("CON ") and f"0 {locale.text('ussd_back')}" in screen
        turned = 0
        while f"98 {locale.text('ussd_more')}" in screen:  # every page of the menu fits
            screen = session.step("98")
            turned += 1
        for _ in range(turned):  # "0" pages back through the menu first
            screen = session.step("0")
            assert screen.startswith("CON ") and f"98 {locale.text('ussd_more')}" in screen
        back = session.step("0")
        assert back == page  # back where the option was chosen


def _pages(session: UssdSession, screen: str, more: str) -> list[str]:
    """Every page of the screen on display, by "98 More"; each continues the session until the last."""
    pages = [screen]
    while f"98 {more}" in pages[-1].splitlines():
        assert pages[-1].startswith("CON ")
        pages.append(session.step("98"))
        assert len(pages) < 10, pages
    return pages


def _option_in(pages: list[str], title: str) -> str:
    """The number of the option ``title`` on whichever page shows it (numbers hold on every page)."""
    return _option(next((p for p in pages if f". {title[:20]}" in p), pages[-1]), title)


def _words(pages: list[str], furniture: set[str]) -> str:
    """What the pages say, without CON/END and the navigation lines, as one line of words."""
    lines = [line for page in pages for line in page[4:].splitlines() if line not in furniture]
    return " ".join(" ".join(lines).split())


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("language", ["en", "sw"])
def test_ussd_files_a_concern_on_open_screens_until_the_ticket(
    stack: Stack, catalogues: Catalogues, language: str
) -> None:
    """Choosing a topic used to END the session with "Please describe the problem": nowhere to type.
    Now every step is a CON screen, long texts are paged whole ("98 More"), and the END has the ticket."""
    locale = catalogues.locales[language]
    more, back, home = locale.text("ussd_more"), locale.text("ussd_back"), locale.text("ussd_home")
    furniture = {f"98 {more}", f"0 {back}  00 {home}"}
    session = _in_language(f"+25474{uuid.uuid4().int % 10_000_000:07d}", language, catalogues)
    page = session.step("00")
    while locale.text("menu_concern")[:20] not in page:
        page = session.step("98")
    topics = _pages(session, session.step(_option(page, locale.text("menu_concern"))), more)
    assert all(p.startswith("CON ") for p in topics)
    water = locale.concern_category_names["water_sanitation"]
    number = _option_in(topics, water)

    asked = _pages(session, session.step(number), more)
    assert asked[-1].startswith("CON "), asked  # the session stays open to type the description
    assert _words(asked, furniture) == _flat(locale.text("concern_ask_description"))

    description = {
        "en": "No water in our street for three days, the pipes are dry and the school tank is empty.",
        "sw": "Hakuna maji mtaani kwetu kwa siku tatu, mabomba ni makavu na tangi la shule ni tupu.",
    }[language]
    regions = _pages(session, session.step(description), more)
    assert all(p.startswith("CON ") for p in regions)
    coast = catalogues.regions.name("coast", language)
    contact = _pages(session, session.step(_option_in(regions, coast)), more)
    assert contact[-1].startswith("CON ")
    assert _flat(locale.text("concern_ask_contact_sms")) in _words(contact, furniture)  # by SMS, not "chat"

    summary = _pages(session, session.step(_option_in(contact, locale.text("answer_yes"))), more)
    assert len(summary) > 1 and all(p.startswith("CON ") for p in summary)
    expected = locale.text(
        "concern_summary",
        category=water,
        description=description,
        place=coast,
        contact=locale.text("answer_yes"),
    )
    said = _words(summary, furniture)
    assert said.startswith(_flat(expected)), said  # the whole summary, nothing cut
    for title in ("concern_send", "concern_change_description", "concern_cancel"):
        assert locale.text(title) in said  # every option reachable
    back_page = session.step("0")
    assert back_page == summary[-2]  # "0" pages back within the summary
    done = _pages(session, session.step(_option_in(summary, locale.text("concern_send"))), more)
    assert done[-1].startswith("END ") and all(p.startswith("CON ") for p in done[:-1]), done
    ticket = find_ticket(_words(done, furniture))
    assert ticket is not None, done
    status = UssdSession(session.phone)  # the next dial: the ticket is the citizen's
    status.step()
    followed = _words(_pages(status, status.step(f"status {ticket}"), more), furniture)
    assert ticket in followed and water in followed, followed


def test_ussd_from_menu_to_a_service_answer(stack: Stack, catalogues: Catalogues) -> None:
    session = _in_language(f"+25471{uuid.uuid4().int % 10_000_000:07d}", "sw", catalogues)
    locale = catalogues.locales["sw"]
    home = session.step("00")
    services = session.step(_option(home, locale.text("menu_services")))
    passport = catalogues.services.text("passport", "sw").name
    overview = _pages(session, session.step(_option(services, passport)), locale.text("ussd_more"))
    assert all(p.startswith("CON ") for p in overview)
    answer = session.step(_option_in(overview, locale.text("aspect_fee")))
    assert answer.startswith(("END ", "CON "))
    pages = [answer]
    while pages[-1].startswith("CON "):
        pages.append(session.step("98"))
    assert pages[-1].startswith("END ")
    assert "6000" in "".join(pages).replace(" ", "").replace(",", "").replace(".", "")


def test_ussd_says_to_try_again_when_the_assistant_cannot_answer(
    stack: Stack, catalogues: Catalogues
) -> None:
    """An empty USSD screen leaves a citizen with nothing; a failed turn shows the apology instead."""
    session = _in_language(f"+25472{uuid.uuid4().int % 10_000_000:07d}", "sw", catalogues)
    home = session.step("00")
    stack.crash("action-server")
    try:
        screen = session.step(_option(home, catalogues.locales["sw"].text("menu_services")))
    finally:
        stack.revive("action-server")
    assert catalogues.locales["sw"].text("temporary_error") in screen


def test_ussd_refuses_callbacks_without_the_token(stack: Stack) -> None:
    status, _ = _post_form(
        "/webhooks/ussd/webhook",
        {"sessionId": "x", "phoneNumber": "+254700000000", "text": ""},
        token="wrong",
    )
    assert status == 403


def _sms_to(stand_in: ProviderStandIn, phone: str, after: int, wait: float = 15) -> list[dict[str, str]]:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        sent = [c for c in stand_in.calls_to("/version1/messaging")[after:] if c.get("to") == phone]
        if sent:
            return sent
        time.sleep(0.1)
    return []


def test_sms_in_and_out(stack: Stack, telegram_api: ProviderStandIn, catalogues: Catalogues) -> None:
    phone = "+254722000111"
    before = len(telegram_api.calls_to("/version1/messaging"))
    status, _ = _post_form(
        "/webhooks/africastalking/webhook",
        {"from": phone, "to": "21525", "text": "How much does a passport cost?", "id": "m1"},
    )
    assert status == 200
    [sms] = _sms_to(telegram_api, phone, before)
    assert sms["_api_key"] == AT_API_KEY and sms["username"] == "sandbox"
    assert "6000" in sms["message"].replace(" ", "").replace(",", "")
    assert segments(sms["message"]) <= 3
    before = len(telegram_api.calls_to("/version1/messaging"))
    forged, _ = _post_form("/webhooks/africastalking/webhook", {"from": phone, "text": "STOP"}, token=None)
    assert forged == 403
    time.sleep(1)
    assert _sms_to(telegram_api, phone, before, wait=0.5) == []


@pytest.fixture()
def ussd_phone(stack: Stack) -> Iterator[str]:
    """A USSD citizen's number, unsubscribed afterwards: the coast alerts of the other tests count
    their own subscribers only."""
    phone = "+254733000222"
    yield phone
    store = records().subscriptions
    for batch in store.followers(("coast",), (), 100):
        for sid in batch:
            if sid.endswith(phone):
                store.unsubscribe(sid)


def test_subscribed_on_ussd_alert_arrives_by_sms_in_the_fewest_segments(
    ussd_phone: str, telegram_api: ProviderStandIn, catalogues: Catalogues
) -> None:
    from tests.e2e.test_alerts import _post

    phone = ussd_phone
    session = UssdSession(phone)
    home = session.step()
    regions = session.step(_option(home, catalogues.locales["en"].text("menu_subscribe")))
    consent = _pages(session, session.step(_option(regions, catalogues.regions.name("coast", "en"))), "More")
    said = _words(consent, {"98 More", "0 Back  00 Home"})
    assert "by SMS on this phone number" in said and "Do you agree?" in said  # where alerts arrive, whole
    done = session.step(_option_in(consent, catalogues.locales["en"].text("consent_yes")))
    assert done.startswith("END ") and "STOP" in done

    key, _ = records().api_keys.create("meteo", Role.AUTHOR, "sms test", utc_now())
    body = {
        "severity": "Severe",
        "category": "Met",
        "regions": ["coast"],
        "expires_in_hours": 3,
        "texts": {
            "en": {
                "headline": "Storm warning – Coast",
                "description": "Winds of 90 km/h tonight.",
                "instruction": "Stay indoors and charge your phone.",
            }
        },
    }
    before = len(telegram_api.calls_to("/version1/messaging"))
    import json

    status, record = _post("/api/v1/alerts", key, json.dumps(body).encode(), content_type="application/json")
    assert status == 201, record
    [sms] = _sms_to(telegram_api, phone, before, wait=30)
    message = sms["message"]
    assert "Storm warning - Coast" in message  # the en dash became "-": GSM-7 instead of UCS-2
    assert encoding(message) == "GSM-7"
    assert segments(message) == 1
