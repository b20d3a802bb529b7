"""Conversation ids scoped by channel: no address of one channel names another channel's conversation."""

from __future__ import annotations

import pytest

from bot.identity import (
    ForeignConversation,
    address_on,
    conversation_id,
    conversation_path,
    hashed,
    is_web_secret,
    new_web_secret,
    scope_of,
    web_conversation_id,
)


def test_the_same_phone_number_is_a_different_conversation_on_each_channel() -> None:
    phone = "+254711000111"
    ids = {conversation_id(scope, phone) for scope in ("sms", "ussd", "rest")}
    assert ids == {"sms:+254711000111", "ussd:+254711000111", "rest:+254711000111"}
    assert conversation_id("rest", "ussd:+254711000111") == "rest:ussd:+254711000111"  # still REST's
    assert scope_of(conversation_id("rest", "ussd:+254711000111")) == "rest"
    assert conversation_id("whatsapp", "whatsapp:+2547") == "whatsapp:+2547"  # Twilio's own scope kept
    with pytest.raises(ValueError, match="unknown"):
        conversation_id("fax", phone)


def test_an_output_channel_sends_only_to_its_own_conversations() -> None:
    assert address_on("sms:+2547", "sms", "ussd") == "+2547"
    assert address_on("ussd:+2547", "sms", "ussd") == "+2547"  # a USSD citizen's alerts come by SMS
    assert address_on("telegram:42", "telegram") == "42"
    assert address_on("whatsapp:+2547", "whatsapp") == "whatsapp:+2547"
    for foreign in ("rest:+2547", "+2547", "telegram:+2547", "web:abc"):
        with pytest.raises(ForeignConversation):
            address_on(foreign, "sms", "ussd")


def test_a_web_conversation_is_a_digest_of_its_secret() -> None:
    secret = new_web_secret()
    assert len(secret) >= 43 and is_web_secret(secret)  # 256 bits
    conversation = web_conversation_id(secret)
    assert conversation.startswith("web:") and secret not in conversation
    assert web_conversation_id(secret) == conversation
    assert web_conversation_id(conversation) != conversation  # the id resumes nothing
    assert is_web_secret("0123456789abcdef0123456789abcdef")  # the page's old uuid4 hex
    for weak in ("", "victim", "+254711000111", "a" * 31, "web:" + "a" * 40, "x" * 200):
        assert not is_web_secret(weak)
    assert new_web_secret() != new_web_secret()


def test_logs_get_a_stable_digest_not_the_id() -> None:
    assert hashed("sms:+254711000111") == hashed("sms:+254711000111")
    assert "254711" not in hashed("sms:+254711000111") and len(hashed("x")) == 12


def test_a_conversation_path_keeps_the_characters_rasa_would_not_decode() -> None:
    # Rasa's routes do not URL-decode: "web%3A…" would be another conversation than "web:…".
    assert conversation_path("web:" + "a" * 40) == "web:" + "a" * 40
    assert conversation_path("whatsapp:+254700000000") == "whatsapp:+254700000000"
    assert conversation_path("rest:a/b?c") == "rest:a%2Fb%3Fc"
