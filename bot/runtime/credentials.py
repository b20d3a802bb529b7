"""The channels the Rasa server opens: ``config/credentials.yml`` plus those configured in the environment.

Secrets never live in the repository: a channel whose token is set (``TELEGRAM_TOKEN`` and
``TELEGRAM_SECRET_TOKEN``...) is added to a credentials file written under the data folder when the
Rasa server starts. Every door is locked by default: a channel whose provider offers a secret is not
opened until that secret is set (Africa's Talking USSD and SMS: AFRICASTALKING_CALLBACK_TOKEN), and
the REST channel, which proves nothing about its senders, only with ``BARAZA_REST_CHANNEL=on``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.settings import Settings
from bot.yaml_files import read_yaml_mapping


def channel_credentials(settings: Settings) -> dict[str, Any]:
    """Every channel's credentials: the committed ones and the configured ones."""
    channels: dict[str, Any] = dict(read_yaml_mapping(settings.config_dir / "credentials.yml"))
    if settings.rest_channel:
        # POST /webhooks/rest/webhook {"sender": "...", "message": "...", "metadata": {"language": "fr"}}
        channels["bot.channels.rest.ScopedRestInput"] = None
    if settings.telegram_token:
        if not settings.telegram_secret_token:
            raise ValueError(
                "TELEGRAM_SECRET_TOKEN must be set with TELEGRAM_TOKEN: it proves updates come from Telegram"
            )
        channels["bot.channels.telegram.TelegramInput"] = {
            "access_token": settings.telegram_token,
            "secret_token": settings.telegram_secret_token,
            "api_url": settings.telegram_api_url,
        }
    if settings.africastalking_callback_token:
        # POST /webhooks/ussd/webhook?token=... (form: sessionId, phoneNumber, text)
        channels["bot.channels.ussd.UssdInput"] = {"callback_token": settings.africastalking_callback_token}
    if (
        settings.africastalking_username
        and settings.africastalking_api_key
        and settings.africastalking_callback_token
    ):
        channels["bot.channels.africastalking.AfricasTalkingInput"] = {
            "username": settings.africastalking_username,
            "api_key": settings.africastalking_api_key,
            "api_url": settings.africastalking_api_url,
            "sender": settings.africastalking_sender,
            "max_segments": settings.sms_max_segments,
            "callback_token": settings.africastalking_callback_token,
        }
    if settings.facebook_verify and settings.facebook_secret and settings.facebook_page_access_token:
        channels["bot.channels.messenger.MessengerInput"] = {
            "verify": settings.facebook_verify,
            "secret": settings.facebook_secret,
            "page-access-token": settings.facebook_page_access_token,
            "graph_url": settings.facebook_graph_url,
        }
    if settings.twilio_account_sid and settings.twilio_auth_token:
        common = {
            "account_sid": settings.twilio_account_sid,
            "auth_token": settings.twilio_auth_token,
            "api_url": settings.twilio_api_url,
            "webhook_base_url": settings.twilio_webhook_base_url,
        }
        if settings.twilio_sms_number:
            channels["bot.channels.twilio.TwilioSmsInput"] = {
                **common,
                "number": settings.twilio_sms_number,
                "max_segments": settings.sms_max_segments,
            }
        if settings.twilio_whatsapp_number:
            channels["bot.channels.twilio.WhatsAppInput"] = {
                **common,
                "number": settings.twilio_whatsapp_number,
            }
    return channels


def write_credentials(settings: Settings) -> Path:
    """Write the credentials file the Rasa server reads (readable by its owner only)."""
    path = settings.data_dir / "credentials.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(yaml.safe_dump(channel_credentials(settings), sort_keys=False), encoding="utf-8")
    return path
