"""Conversation ids scoped by channel: ``sms:+2547…``, ``ussd:+2547…``, ``telegram:123``, ``web:…``.

Rasa keys a conversation (its tracker, lock, pushes, subscriptions, "delete my data") by the sender
id the channel gives it. When that id is a bare phone number, every channel that can name a phone
number reaches the same conversation: a REST call with a USSD citizen's number read their half-filed
report. So every channel adapter gives Rasa ``<scope>:<address>``, where the scope is the channel's
own and cannot be chosen by the caller (the REST channel puts ``rest:`` before whatever sender it is
given, so ``rest:ussd:+2547…`` is not ``ussd:+2547…``). Output channels take the address back with
:func:`address_of` before calling their provider.

Web chat conversations are ``web:<digest of the session secret>``: the id that shows in stores and
subscriptions cannot be used to resume the session (see ``bot/channels/socketio.py``).

Nothing here imports anything: channels, the subscription migration and tests share it.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

SMS = "sms"
USSD = "ussd"
WHATSAPP = "whatsapp"
TELEGRAM = "telegram"
MESSENGER = "messenger"
WEB = "web"
REST = "rest"
#: Every scope a conversation id can start with.
SCOPES = frozenset({SMS, USSD, WHATSAPP, TELEGRAM, MESSENGER, WEB, REST})

#: A web-chat session secret as the server issues it (:func:`new_web_secret`: 256 bits, URL-safe
#: base64) or as the chat page kept it before scoped ids (a 32-hex-digit uuid4, 122 random bits).
_WEB_SECRET = re.compile(r"^[A-Za-z0-9_-]{32,128}$")


def conversation_id(scope: str, address: str) -> str:
    """The conversation id of ``address`` on the channel of ``scope``."""
    if scope not in SCOPES:
        raise ValueError(f"unknown conversation scope {scope!r}")
    if scope == WHATSAPP and address.startswith("whatsapp:"):
        return address  # Twilio's WhatsApp addresses already carry their scope
    return f"{scope}:{address}"


def scope_of(conversation: str) -> str:
    """The scope of a conversation id ("" for an id from before scoped ids)."""
    scope, sep, _ = conversation.partition(":")
    return scope if sep and scope in SCOPES else ""


def address_of(conversation: str) -> str:
    """The channel address of a conversation id (the id itself if it has no scope)."""
    scope = scope_of(conversation)
    if not scope or scope == WHATSAPP:
        return conversation  # Twilio wants "whatsapp:+…" as it is
    return conversation[len(scope) + 1 :]


class ForeignConversation(ValueError):
    """A conversation of another channel was handed to an output channel: nothing is sent."""


def address_on(conversation: str, *scopes: str) -> str:
    """The address of ``conversation`` if its scope is one of ``scopes``; else
    :class:`ForeignConversation` (an SMS gateway never texts ``rest:+2547…``)."""
    if scope_of(conversation) not in scopes:
        raise ForeignConversation(f"a {scope_of(conversation) or 'unscoped'} conversation is not {scopes}")
    return address_of(conversation)


def is_web_secret(value: str) -> bool:
    """Whether ``value`` can be a web-chat session secret (long and random enough to keep)."""
    return bool(_WEB_SECRET.match(value))


def web_conversation_id(secret: str) -> str:
    """The conversation of a web-chat session: a digest of its secret, never the secret itself."""
    return f"{WEB}:{hashlib.sha256(secret.encode()).hexdigest()[:40]}"


def new_web_secret() -> str:
    """A fresh web-chat session secret (256 random bits)."""
    import secrets

    return secrets.token_urlsafe(32)


def hashed(value: str) -> str:
    """A short digest of an id or address, for logs (the same id always gives the same digest)."""
    return hashlib.sha256(value.encode()).hexdigest()[:12]


def conversation_path(conversation: str) -> str:
    """``conversation`` as a segment of a Rasa URL (``/conversations/<it>/tracker``).

    Rasa's routes do not URL-decode their path: ``web%3A…`` is another conversation than ``web:…``.
    Characters legal in a path segment (":" of scoped ids, "+" of phone numbers) are therefore sent as
    they are, so that every caller (the delivery workers, the handoff relay, the chat history, the
    tests) reaches the conversation the channel created.
    """
    return quote(conversation, safe="+:@=")
