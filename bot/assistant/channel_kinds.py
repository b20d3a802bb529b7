"""Texts that name the channel the citizen is on: "in this chat" on a chat, "by SMS" on SMS and USSD.

A text whose wording depends on the channel has a variant per kind of channel in the locale files,
``<key>_<kind>`` (``subscribe_consent_sms``); the plain ``<key>`` is the chat's. A USSD session cannot
be written to later, so what reaches a USSD citizen afterwards (alerts, the ministry's contact)
arrives by SMS on their number: USSD is of the SMS kind.
"""

from __future__ import annotations

from typing import Any

from bot.i18n.messages import Locale

#: The kind of each channel whose texts differ from a chat's.
CHANNEL_KINDS = {"ussd": "sms", "africastalking": "sms", "twilio": "sms", "sms": "sms"}


def channel_kind(channel: str) -> str:
    """``sms`` for SMS and USSD, ``chat`` for every other channel (web, Telegram, WhatsApp...)."""
    return CHANNEL_KINDS.get(channel, "chat")


def channel_text(locale: Locale, key: str, channel: str, **values: Any) -> str:
    """The text ``key`` as worded for the channel's kind (its ``<key>_<kind>`` variant, if any)."""
    variant = f"{key}_{channel_kind(channel)}"
    return locale.text(variant if variant in locale.messages else key, **values)
