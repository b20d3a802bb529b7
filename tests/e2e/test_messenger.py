"""Facebook Messenger through the real stack: signed webhook posts, quick replies to a Graph API stand-in."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.request
from typing import Any

from bot.catalogue.bundle import Catalogues
from bot.runtime.stack import Stack
from tests.e2e.conftest import FACEBOOK_SECRET, RASA, ProviderStandIn, rasa_log


def _post(payload: dict[str, Any], secret: str = FACEBOOK_SECRET) -> int:
    body = json.dumps(payload).encode()
    signature = "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
    request = urllib.request.Request(
        f"{RASA}/webhooks/facebook/webhook",
        data=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature": signature},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _message(psid: str, text: str) -> dict[str, Any]:
    event = {
        "sender": {"id": psid},
        "recipient": {"id": "PAGE"},
        "timestamp": 1764400000000,
        "message": {"mid": f"m-{psid}", "text": text},
    }
    return {"object": "page", "entry": [{"id": "PAGE", "time": 1764400000000, "messaging": [event]}]}


def _sent_to(stand_in: ProviderStandIn, psid: str, after: int, wait: float = 15) -> list[dict[str, Any]]:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        sent = [
            b
            for p, b in stand_in.calls[after:]
            if "/me/messages" in p and (b.get("recipient") or {}).get("id") == psid
        ]
        if sent:
            return sent
        time.sleep(0.1)
    return []


def test_messenger_greets_with_quick_replies(
    stack: Stack, telegram_api: ProviderStandIn, catalogues: Catalogues
) -> None:
    before = len(telegram_api.calls)
    assert _post(_message("psid-1", "hello")) == 200
    [greeting] = _sent_to(telegram_api, "psid-1", before)
    assert greeting["message"]["text"] == catalogues.locales["en"].text("greeting")
    replies = greeting["message"]["quick_replies"]
    assert len(replies) == 7 and all(len(r["title"]) <= 20 for r in replies)
    assert replies[0]["payload"] == "/list_services"


def test_forged_messenger_requests_are_refused(stack: Stack, telegram_api: ProviderStandIn) -> None:
    before = len(telegram_api.calls)
    assert _post(_message("psid-2", "hello"), secret="not-the-app-secret") == 403
    time.sleep(1)
    assert _sent_to(telegram_api, "psid-2", before, wait=0.5) == []
    assert "refused a Messenger request with a wrong signature" in rasa_log()
