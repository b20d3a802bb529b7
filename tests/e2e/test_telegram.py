"""Telegram through the real stack: webhook updates in Telegram's format, replies captured by a local
stand-in of the Bot API."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

from bot.alerts.model import utc_now
from bot.catalogue.bundle import Catalogues
from bot.runtime.stack import Stack
from tests.e2e.conftest import (
    RASA,
    TELEGRAM_SECRET,
    TELEGRAM_TOKEN,
    ProviderStandIn,
    rasa_log,
    records,
)

WEBHOOK = f"{RASA}/webhooks/telegram/webhook"


def _post_update(update: dict[str, Any], secret: str | None = TELEGRAM_SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(WEBHOOK, data=json.dumps(update).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _message(chat_id: int, text: str, language: str = "fr") -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "Amina", "language_code": language}
    return {
        "update_id": chat_id * 10 + len(text),
        "message": {
            "message_id": 1,
            "date": 1764400000,
            "chat": {"id": chat_id, "type": "private"},
            "from": user,
            "text": text,
        },
    }


def _sent_to(
    stand_in: ProviderStandIn, chat_id: int, after: int = 0, wait: float = 10.0
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        sent = [c for c in stand_in.calls_to("/sendMessage")[after:] if str(c.get("chat_id")) == str(chat_id)]
        if sent:
            return sent
        time.sleep(0.1)
    return []


def test_start_greets_in_the_users_telegram_language_with_an_inline_keyboard(
    stack: Stack, telegram_api: ProviderStandIn, catalogues: Catalogues
) -> None:
    before = len(telegram_api.calls_to("/sendMessage"))
    assert _post_update(_message(7001, "/start", language="fr")) == 200
    [greeting] = _sent_to(telegram_api, 7001, before)
    assert greeting["text"] == catalogues.locales["fr"].text("greeting")
    keyboard = greeting["reply_markup"]["inline_keyboard"]
    assert keyboard[0][0]["text"] == catalogues.locales["fr"].text("menu_services")
    assert all(len(row[0]["callback_data"].encode()) <= 64 for row in keyboard)
    [path] = [path for path, body in telegram_api.calls if body is greeting]
    assert path == f"/bot{TELEGRAM_TOKEN}/sendMessage"


def test_button_press_and_long_payloads(
    stack: Stack, telegram_api: ProviderStandIn, catalogues: Catalogues
) -> None:
    before = len(telegram_api.calls_to("/sendMessage"))
    _post_update(_message(7002, "je veux recevoir les alertes", language="fr"))
    [question] = _sent_to(telegram_api, 7002, before)
    buttons = [row[0] for row in question["reply_markup"]["inline_keyboard"]]
    highlands = next(b for b in buttons if b["text"] == catalogues.regions.name("highlands", "fr"))
    before = len(telegram_api.calls_to("/sendMessage"))
    press = {
        "update_id": 99,
        "callback_query": {
            "id": "cb-1",
            "data": highlands["callback_data"],
            "chat_instance": "x",
            "from": {"id": 7002, "is_bot": False, "first_name": "Amina", "language_code": "fr"},
            "message": {"message_id": 2, "date": 1764400000, "chat": {"id": 7002, "type": "private"}},
        },
    }
    assert _post_update(press) == 200
    [consent] = _sent_to(telegram_api, 7002, before)
    assert catalogues.regions.name("highlands", "fr") in consent["text"]
    assert telegram_api.calls_to("/answerCallbackQuery")[-1]["callback_query_id"] == "cb-1"


def test_forged_updates_are_refused(stack: Stack, telegram_api: ProviderStandIn) -> None:
    before = len(telegram_api.calls)
    assert _post_update(_message(7003, "bonjour"), secret="guess") == 403
    assert _post_update(_message(7003, "bonjour"), secret=None) == 403
    time.sleep(1)
    assert len(telegram_api.calls) == before
    assert "refused a Telegram update without the right secret token" in rasa_log()


def test_alert_pushed_to_a_telegram_subscriber(
    stack: Stack, telegram_api: ProviderStandIn, catalogues: Catalogues
) -> None:
    from bot.auth.roles import Role
    from tests.e2e.test_alerts import _cap, _post

    _post_update(_message(7004, "/start", language="sw"))  # the conversation exists, in Swahili
    _sent_to(telegram_api, 7004)
    records().subscriptions.subscribe("telegram:telegram:7004", "coast", (), "sw", utc_now())
    key, _ = records().api_keys.create("meteo", Role.AUTHOR, "telegram test", utc_now())
    before = len(telegram_api.calls_to("/sendMessage"))
    status, record = _post("/api/v1/alerts", key, _cap("KL-TG-1"))
    assert status == 201, record
    [pushed] = _sent_to(telegram_api, 7004, before, wait=30)
    assert "Flood warning" in pushed["text"]  # no Swahili text in this alert: the first language...
    assert catalogues.locales["sw"].text("alerts_other_language") in pushed["text"]  # ...with the note
    assert catalogues.locales["sw"].ministry_names["meteo"] in pushed["text"]


def test_a_message_while_the_action_server_restarts_gets_an_apology_not_silence(
    stack: Stack, telegram_api: ProviderStandIn, catalogues: Catalogues
) -> None:
    """Rasa answers nothing when the action behind a turn fails: the citizen is told to try again, in
    the conversation's language, and the same question afterwards is answered."""
    before = len(telegram_api.calls_to("/sendMessage"))
    assert _post_update(_message(7301, "/start", language="sw")) == 200
    assert _sent_to(telegram_api, 7301, before)
    stack.crash("action-server")
    try:
        before = len(telegram_api.calls_to("/sendMessage"))
        assert _post_update(_message(7301, "pasipoti inagharimu kiasi gani?", language="sw")) == 200
        [apology] = _sent_to(telegram_api, 7301, before)
        assert apology["text"] == catalogues.locales["sw"].text("temporary_error")
    finally:
        stack.revive("action-server")
    before = len(telegram_api.calls_to("/sendMessage"))
    assert _post_update(_message(7301, "pasipoti inagharimu kiasi gani?", language="sw")) == 200
    answer = _sent_to(telegram_api, 7301, before)[0]  # then the other aspects of the passport
    assert "KLS" in answer["text"]
