"""No concern lost, none stored twice: concurrency, an action server crash, a database outage.

All through the running stack (Rasa's REST channel, the action server, the SQLite store).
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from urllib.parse import quote

from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.catalogue.bundle import Catalogues
from bot.concerns.ticket import ALPHABET
from bot.runtime.stack import Stack
from bot.subscriptions.store import subscriber_id
from tests.e2e.conftest import AUTH_TOKEN, RASA, WEB, Citizen, get, post_json, records

CONCURRENT = 200
TICKET = re.compile(rf"\b[{ALPHABET}]{{6}}\b")


def _database(stack: Stack) -> sqlite3.Connection:
    return sqlite3.connect(stack.settings.effective_database_url.split("///", 1)[1], timeout=30)


def _stored(stack: Stack, senders: list[str]) -> list[tuple[str, str, int]]:
    """(subscriber, ticket, history entries) of the concerns these conversations filed."""
    wanted = {subscriber_id("rest", f"rest:{sender}") for sender in senders}
    with _database(stack) as db:
        history = dict(db.execute("SELECT concern_id, COUNT(*) FROM concern_events GROUP BY concern_id"))
        rows = db.execute("SELECT id, subscriber, ticket FROM concerns").fetchall()
    return [
        (subscriber, ticket, history.get(key, 0)) for key, subscriber, ticket in rows if subscriber in wanted
    ]


def _report_until_summary(citizen: Citizen, catalogues: Catalogues, description: str) -> str:
    locale = catalogues.locales["en"]
    asked = citizen.say("I want to report a problem")
    health = next(b for b in asked[0]["buttons"] if b["title"] == locale.concern_category_names["health"])
    assert citizen.text(health["payload"]) == locale.text("concern_ask_description")
    assert citizen.text(description).startswith(locale.text("concern_ask_region"))
    assert citizen.text("Ziwani") == locale.text("concern_ask_contact")
    return citizen.text("no")


def test_200_concerns_filed_at_once_are_all_stored_once(stack: Stack, catalogues: Catalogues) -> None:
    def file_one(index: int) -> tuple[str, str]:
        citizen = Citizen({"language": "en"})
        summary = _report_until_summary(
            citizen, catalogues, f"No medicine at the Ziwani clinic, report {index}."
        )
        assert "No medicine at the Ziwani clinic" in summary, summary
        filed = citizen.text("yes")
        ticket = TICKET.search(filed)
        assert ticket, filed
        return citizen.sender, ticket.group()

    with ThreadPoolExecutor(max_workers=40) as pool:
        told = dict(pool.map(file_one, range(CONCURRENT)))
    assert len(told) == CONCURRENT
    stored = _stored(stack, list(told))
    assert len(stored) == CONCURRENT  # every one stored, none twice
    assert {subscriber.removeprefix("rest:rest:"): ticket for subscriber, ticket, _ in stored} == told
    assert {history for _, _, history in stored} == {1}


def test_an_action_server_crash_mid_form_loses_nothing_confirmed(
    stack: Stack, catalogues: Catalogues
) -> None:
    locale = catalogues.locales["en"]
    citizen = Citizen({"language": "en"})
    asked = citizen.say("I want to report a problem")
    health = next(b for b in asked[0]["buttons"] if b["title"] == locale.concern_category_names["health"])
    citizen.say(health["payload"])
    citizen.say("The clinic in Ziwani has had no nurse for two weeks.")
    stack.crash("action-server")
    stack.revive("action-server")
    assert citizen.text("Ziwani") == locale.text("concern_ask_contact")
    summary = citizen.text("no")
    assert "The clinic in Ziwani has had no nurse for two weeks." in summary

    # The action server dies with the summary on screen; the citizen's "yes" meets nobody
    stack.crash("action-server")
    with suppress(AssertionError):
        citizen.say("yes")  # Rasa may answer with an error while its action server is away
    assert _stored(stack, [citizen.sender]) == []
    stack.revive("action-server")
    filed = citizen.text("yes")
    ticket = TICKET.search(filed)
    assert ticket, filed
    assert [(t, h) for _, t, h in _stored(stack, [citizen.sender])] == [(ticket.group(), 1)]
    citizen.say("yes")  # once filed, another "yes" files nothing more
    assert len(_stored(stack, [citizen.sender])) == 1


def test_a_database_outage_at_filing_asks_to_try_later_and_keeps_the_report(
    stack: Stack, catalogues: Catalogues
) -> None:
    locale = catalogues.locales["en"]
    citizen = Citizen({"language": "en"})
    _report_until_summary(citizen, catalogues, "Nobody collects rubbish near the Ziwani market.")
    lock = _database(stack)
    lock.execute("BEGIN EXCLUSIVE")  # another writer holds the database: nothing can be written
    try:
        answer = citizen.text("yes")
    finally:
        lock.rollback()
        lock.close()
    assert answer == locale.text("temporary_error")
    assert _stored(stack, [citizen.sender]) == []
    filed = citizen.text("yes")  # the question stayed open: the same answer files it now
    assert TICKET.search(filed), filed
    assert len(_stored(stack, [citizen.sender])) == 1


def _bot_texts(citizen: Citizen) -> list[str]:
    status, body, _ = get(
        f"{RASA}/conversations/{quote(citizen.conversation, safe=':')}/tracker?token={AUTH_TOKEN}"
    )
    assert status == 200, body
    return [str(e.get("text") or "") for e in json.loads(body)["events"] if e.get("event") == "bot"]


def test_news_of_a_concern_waits_out_an_action_server_crash(stack: Stack, catalogues: Catalogues) -> None:
    """The worker counts news as told only when the conversation recorded it, so a crash delays it."""
    locale = catalogues.locales["en"]
    citizen = Citizen({"language": "en"})
    _report_until_summary(citizen, catalogues, "The Ziwani clinic has run out of malaria tests.")
    ticket = TICKET.search(citizen.text("yes"))
    assert ticket
    key, _ = records().api_keys.create("health", Role.AUTHOR, "nurse", utc_now())
    news = locale.text(
        "concern_status_changed", ticket=ticket.group(), status=locale.text("concern_status_in_progress")
    )

    stack.crash("action-server")
    try:
        status, _ = post_json(
            f"{WEB}/api/v1/concerns/{ticket.group()}/status",
            {"status": "in_progress", "note": "Tests are on their way."},
            {"Authorization": f"Bearer {key}"},
        )
        assert status == 200
        time.sleep(3)  # the worker has tried (and Rasa could not run the action)
        assert not any(news in text for text in _bot_texts(citizen))
    finally:
        stack.revive("action-server")
    deadline = time.monotonic() + 60
    while not any(news in text for text in _bot_texts(citizen)):
        assert time.monotonic() < deadline, "the news never reached the conversation"
        time.sleep(1)
    told = [text for text in _bot_texts(citizen) if news in text]
    assert len(told) == 1 and "Tests are on their way." in told[0]
