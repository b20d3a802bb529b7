"""SMS and WhatsApp through Twilio: signed form posts in, Messages API calls out (captured by a local
stand-in), WhatsApp templates outside the 24-hour window."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request

import redis
from twilio.request_validator import RequestValidator

from bot import redis_keys
from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.catalogue.bundle import Catalogues
from bot.channels.formatting import segments
from bot.runtime.stack import Stack
from tests.e2e.conftest import (
    E2E_REDIS_URL,
    RASA,
    TWILIO_SID,
    TWILIO_SMS_NUMBER,
    TWILIO_TOKEN,
    TWILIO_WHATSAPP_NUMBER,
    ProviderStandIn,
    rasa_log,
    records,
)

MESSAGES = f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"


def _post(channel: str, form: dict[str, str], sign: bool = True, token: str = TWILIO_TOKEN) -> int:
    url = f"{RASA}/webhooks/{channel}/webhook"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if sign:
        headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(url, form)
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _sent_to(stand_in: ProviderStandIn, to: str, after: int, wait: float = 15) -> list[dict[str, str]]:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        sent = [c for c in stand_in.calls_to(MESSAGES)[after:] if c.get("To") == to]
        if sent:
            return sent
        time.sleep(0.1)
    return []


def test_twilio_sms_answers_through_the_messages_api(stack: Stack, telegram_api: ProviderStandIn) -> None:
    before = len(telegram_api.calls_to(MESSAGES))
    sender = "+254711222333"
    assert (
        _post(
            "twilio",
            {
                "From": sender,
                "To": TWILIO_SMS_NUMBER,
                "Body": "Combien coûte un passeport ?",
                "MessageSid": "SM1",
            },
        )
        == 200
    )
    [sms] = _sent_to(telegram_api, sender, before)
    assert sms["From"] == TWILIO_SMS_NUMBER
    assert "6000" in sms["Body"].replace(" ", "").replace("\u202f", "").replace(",", "")
    assert segments(sms["Body"]) <= 3


def test_forged_twilio_requests_are_refused(stack: Stack, telegram_api: ProviderStandIn) -> None:
    before = len(telegram_api.calls)
    form = {"From": "+254711222444", "To": TWILIO_SMS_NUMBER, "Body": "STOP"}
    assert _post("twilio", form, sign=False) == 403
    assert _post("twilio", form, token="not-the-auth-token") == 403
    assert _post("whatsapp", {**form, "From": "whatsapp:+254711222444"}, token="guess") == 403
    time.sleep(1)
    assert len(telegram_api.calls) == before
    log = rasa_log()
    assert "refused a twilio request with a missing or wrong signature" in log
    assert "refused a whatsapp request with a missing or wrong signature" in log


def test_whatsapp_free_text_inside_the_window_and_a_template_outside(
    stack: Stack, telegram_api: ProviderStandIn, catalogues: Catalogues
) -> None:
    from tests.e2e.test_alerts import _post as post_api

    user = "whatsapp:+34600111222"
    before = len(telegram_api.calls_to(MESSAGES))
    assert (
        _post(
            "whatsapp",
            {"From": user, "To": TWILIO_WHATSAPP_NUMBER, "Body": "Hola, ¿cuánto cuesta el pasaporte?"},
        )
        == 200
    )
    [reply] = _sent_to(telegram_api, user, before)
    assert reply["From"] == TWILIO_WHATSAPP_NUMBER and "Body" in reply and "ContentSid" not in reply

    client = redis.Redis.from_url(E2E_REDIS_URL)
    records().subscriptions.subscribe(f"whatsapp:{user}", "coast", (), "es", utc_now())
    client.delete(redis_keys.whatsapp_window(user))  # a day has passed since the user last wrote
    key, _ = records().api_keys.create("meteo", Role.AUTHOR, "whatsapp test", utc_now())
    body = {
        "severity": "Extreme",
        "category": "Met",
        "regions": ["coast"],
        "expires_in_hours": 2,
        "texts": {
            "en": {
                "headline": "Cyclone warning",
                "description": "A cyclone reaches the coast tonight.",
                "instruction": "Go to a shelter.",
            },
            "es": {
                "headline": "Alerta de ciclón",
                "description": "Un ciclón llega a la costa esta noche.",
                "instruction": "Vaya a un refugio.",
            },
        },
    }
    before = len(telegram_api.calls_to(MESSAGES))
    status, record = post_api(
        "/api/v1/alerts", key, json.dumps(body).encode(), content_type="application/json"
    )
    assert status == 201, record
    [template] = _sent_to(telegram_api, user, before, wait=30)
    assert template["ContentSid"] == "HX0000000000000000000000000000a1es"
    assert "Body" not in template
    assert json.loads(template["ContentVariables"]) == {
        "1": catalogues.locales["es"].ministry_names["meteo"],
        "2": "Alerta de ciclón",
        "3": "Vaya a un refugio.",
    }
