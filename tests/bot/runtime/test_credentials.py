"""The channels the Rasa server opens: the committed ones, and those whose secrets are in the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.runtime.credentials import channel_credentials, write_credentials
from bot.settings import PROJECT_ROOT, load_settings


def test_channels_with_secrets_come_from_the_environment_only(tmp_path: Path) -> None:
    bare = channel_credentials(load_settings({}))
    assert list(bare) == ["bot.channels.socketio.WebChatInput"]  # every door with a secret stays shut
    env = {"TELEGRAM_TOKEN": "123:abc", "TELEGRAM_SECRET_TOKEN": "s3cret", "BARAZA_DATA_DIR": str(tmp_path)}
    path = write_credentials(load_settings(env))
    written = yaml.safe_load(path.read_text())
    assert written["bot.channels.telegram.TelegramInput"]["secret_token"] == "s3cret"
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert "123:abc" not in (PROJECT_ROOT / "config" / "credentials.yml").read_text()
    with pytest.raises(ValueError, match="TELEGRAM_SECRET_TOKEN"):
        channel_credentials(load_settings({"TELEGRAM_TOKEN": "123:abc"}))


def test_each_provider_opens_only_with_all_its_secrets() -> None:
    twilio = {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t"}
    assert "bot.channels.twilio.TwilioSmsInput" not in channel_credentials(load_settings(twilio))  # no number
    both = channel_credentials(
        load_settings({**twilio, "TWILIO_SMS_NUMBER": "+1555", "TWILIO_WHATSAPP_NUMBER": "whatsapp:+1555"})
    )
    assert both["bot.channels.twilio.TwilioSmsInput"]["number"] == "+1555"
    assert both["bot.channels.twilio.WhatsAppInput"]["number"] == "whatsapp:+1555"
    messenger = {"FACEBOOK_VERIFY": "v", "FACEBOOK_SECRET": "s"}
    assert "bot.channels.messenger.MessengerInput" not in channel_credentials(load_settings(messenger))
    full = channel_credentials(load_settings({**messenger, "FACEBOOK_PAGE_ACCESS_TOKEN": "p"}))
    assert full["bot.channels.messenger.MessengerInput"]["page-access-token"] == "p"
    at = {"AFRICASTALKING_USERNAME": "u", "AFRICASTALKING_API_KEY": "k", "BARAZA_SMS_MAX_SEGMENTS": "2"}
    at_sms = "bot.channels.africastalking.AfricasTalkingInput"
    assert at_sms not in channel_credentials(
        load_settings(at)
    )  # the gateway signs nothing: no token, no door
    sms = channel_credentials(load_settings({**at, "AFRICASTALKING_CALLBACK_TOKEN": "cb"}))
    assert sms[at_sms]["max_segments"] == 2 and sms[at_sms]["callback_token"] == "cb"


def test_ussd_is_off_until_its_callback_token_is_set() -> None:
    ussd = "bot.channels.ussd.UssdInput"
    assert ussd not in channel_credentials(load_settings({}))
    assert ussd not in channel_credentials(load_settings({"AFRICASTALKING_CALLBACK_TOKEN": "  "}))
    settings = load_settings({"AFRICASTALKING_CALLBACK_TOKEN": "cb-token"})
    assert channel_credentials(settings)[ussd]["callback_token"] == "cb-token"


def test_the_rest_channel_is_off_unless_switched_on_for_development() -> None:
    rest = "bot.channels.rest.ScopedRestInput"
    assert rest not in channel_credentials(load_settings({}))
    assert rest not in channel_credentials(load_settings({"BARAZA_REST_CHANNEL": "off"}))
    assert rest in channel_credentials(load_settings({"BARAZA_REST_CHANNEL": "on"}))
    assert "rest" not in channel_credentials(load_settings({"BARAZA_REST_CHANNEL": "on"}))  # not Rasa's own
    with pytest.raises(ValueError, match="BARAZA_REST_CHANNEL"):
        load_settings({"BARAZA_REST_CHANNEL": "maybe"})
