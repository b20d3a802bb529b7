"""Migration of stored ids to conversation ids scoped by channel (``bot/channels/identity.py``).

Before, a conversation was the bare address its channel gave (``+2547…`` on SMS and USSD alike,
``12345`` on Telegram, the page's own id on the web chat), and a subscriber was
``<channel>:<address>``. Now the address part is the scoped conversation id:

=================================  ============================================
before                             after
=================================  ============================================
``telegram:12345``                 ``telegram:telegram:12345``
``africastalking:+2547…``          ``africastalking:sms:+2547…`` (SMS and USSD were one conversation;
                                   alerts arrive by SMS, so the SMS one keeps them)
``twilio:+2547…``                  ``twilio:sms:+2547…``
``whatsapp:whatsapp:+2547…``       unchanged (Twilio's address already carries its scope)
``facebook:<PSID>``                ``facebook:messenger:<PSID>``
``socketio:<page id>``             ``socketio:web:<digest of the page id>`` (the page keeps its id and
                                   resumes the same conversation)
``rest:<sender>``                  ``rest:rest:<sender>``
=================================  ============================================

:func:`migrate_subscribers` renames the subscriber hashes and their region-set memberships once
(a marker in Redis records it; running it again does nothing); ``migrations/versions/0003`` does the
same to the subscriber column of concerns and their notices. Conversations themselves (Rasa's
trackers) are not renamed: an old one can no longer be reached by any channel and expires under
``conversation_retention_days``; the citizen's next message starts a new one.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

from bot import redis_keys
from bot.identity import (
    MESSENGER,
    REST,
    SMS,
    TELEGRAM,
    WHATSAPP,
    conversation_id,
    web_conversation_id,
)
from bot.subscriptions.store import split_subscriber_id

if TYPE_CHECKING:
    import redis

NAME = "scoped-conversation-ids"
_SCOPE_OF_CHANNEL = {
    "telegram": TELEGRAM,
    "africastalking": SMS,
    "twilio": SMS,
    "whatsapp": WHATSAPP,
    "facebook": MESSENGER,
    "rest": REST,
}


def scoped_subscriber_id(old: str) -> str:
    """The subscriber id of ``old`` (one from before scoped ids) now; unknown channels unchanged."""
    channel, address = split_subscriber_id(old)
    if not address:
        return old
    if channel == "socketio":
        return f"{channel}:{web_conversation_id(address)}"
    scope = _SCOPE_OF_CHANNEL.get(channel)
    return f"{channel}:{conversation_id(scope, address)}" if scope else old


def migrate_subscribers(client: redis.Redis[bytes]) -> int | None:
    """Rename every stored subscriber once; how many were renamed (None: done before)."""
    marker = redis_keys.migration_done(NAME)
    if not client.set(marker, "running", nx=True):
        return None
    renamed = 0
    pattern = redis_keys.subscriber("*")
    prefix = redis_keys.subscriber("")
    for key in list(client.scan_iter(match=pattern, count=1000)):
        old = key.decode()[len(prefix) :]
        new = scoped_subscriber_id(old)
        if new == old:
            continue
        fields = {k.decode(): v.decode() for k, v in client.hgetall(key).items()}
        pipe = client.pipeline(transaction=True)
        for name, value in fields.items():
            if not name.startswith("region:"):
                continue
            region = name[len("region:") :]
            for topic in json.loads(value).get("topics") or [None]:
                pipe.srem(redis_keys.subscribers_of_region(region, topic), old)
                pipe.sadd(redis_keys.subscribers_of_region(region, topic), new)
        pipe.rename(key, redis_keys.subscriber(new))
        pipe.execute()
        renamed += 1
    client.set(marker, str(time.time()))
    return renamed
