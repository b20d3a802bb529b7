"""Texts name the channel the citizen is on: a chat is "this chat", SMS and USSD are "SMS on this number"."""

from __future__ import annotations

import pytest

from bot.assistant.channel_kinds import channel_kind, channel_text
from bot.assistant.subscriptions import ask_to_subscribe
from bot.catalogue.bundle import Catalogues


def test_ussd_and_sms_are_of_the_sms_kind_the_rest_are_chats() -> None:
    assert [channel_kind(c) for c in ("ussd", "africastalking", "twilio")] == ["sms"] * 3
    assert [channel_kind(c) for c in ("socketio", "telegram", "whatsapp", "facebook", "rest", "")] == [
        "chat"
    ] * 6


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "pt", "sw"])
def test_the_consent_on_ussd_speaks_of_sms_not_of_this_chat(catalogues: Catalogues, language: str) -> None:
    on_ussd = ask_to_subscribe(catalogues, language, "coast", (), channel="ussd").replies[0].text
    in_chat = ask_to_subscribe(catalogues, language, "coast", (), channel="telegram").replies[0].text
    assert "SMS" in on_ussd and "SMS" not in in_chat
    assert on_ussd != in_chat
    assert catalogues.regions.name("coast", language) in on_ussd


def test_a_text_without_a_variant_is_the_same_everywhere(catalogues: Catalogues) -> None:
    locale = catalogues.locales["sw"]
    assert channel_text(locale, "concern_ask_region", "ussd") == locale.text("concern_ask_region")
    assert channel_text(locale, "concern_ask_contact", "ussd") == locale.text("concern_ask_contact_sms")
