"""A Rasa server started with no channel secret and no development switch (what a fresh deployment
gets) opens the web chat and nothing else: USSD, SMS, Telegram, Twilio, Messenger and REST answer 404."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import pytest

from bot.runtime.credentials import write_credentials
from bot.runtime.processes import rasa_server_command, rasa_server_env
from bot.runtime.stack import Stack, _wait_http
from bot.settings import load_settings
from tests.e2e.conftest import ACTION_TOKEN, AUTH_TOKEN, E2E_REDIS_URL, PORT_BASE, WEB

BARE_PORT = PORT_BASE + 4 if PORT_BASE != 5005 else 5006


@pytest.fixture(scope="module")
def bare_rasa(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("bare")
    settings = replace(
        load_settings({}),  # nothing set: no channel secret, no REST switch
        redis_url=E2E_REDIS_URL,
        rasa_port=BARE_PORT,
        rasa_auth_token=AUTH_TOKEN,
        action_server_token=ACTION_TOKEN,
        action_server_url=stack.settings.action_server_url,
        public_url=WEB,
        data_dir=folder,
    )
    bare = Stack(settings=settings, model=stack.model, log_dir=folder / "logs")
    command = rasa_server_command(settings, stack.model, write_credentials(settings))
    process = bare.spawn("rasa", command, rasa_server_env(settings))
    try:
        _wait_http(f"http://127.0.0.1:{BARE_PORT}/", 240, process, "bare Rasa server")
        yield f"http://127.0.0.1:{BARE_PORT}"
    finally:
        bare.stop()


def _post(url: str, form: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode())
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_every_channel_with_a_secret_is_off_until_it_is_set(bare_rasa: str) -> None:
    ussd = {"sessionId": "ATUid_x", "serviceCode": "*384*1#", "phoneNumber": "+254700900100", "text": ""}
    assert _post(f"{bare_rasa}/webhooks/ussd/webhook", ussd) == 404
    assert _post(f"{bare_rasa}/webhooks/ussd/webhook?token=", ussd) == 404
    assert (
        _post(f"{bare_rasa}/webhooks/africastalking/webhook", {"from": "+254700900100", "text": "STOP"})
        == 404
    )
    for channel in ("telegram", "twilio", "whatsapp", "facebook", "rest"):
        assert _post(f"{bare_rasa}/webhooks/{channel}/webhook", {"sender": "x", "message": "hi"}) == 404, (
            channel
        )
    with urllib.request.urlopen(f"{bare_rasa}/socket.io/?EIO=4&transport=polling", timeout=30) as reply:
        assert reply.status == 200  # the web chat, whose sessions are secrets, is the one door open
