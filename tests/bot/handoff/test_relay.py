"""The outbox says each notice once and in order; the desk's live channel carries no personal data."""

from __future__ import annotations

import json
import threading

import redis

from bot import redis_keys
from bot.handoff.relay import CitizenNotice, CitizenOutbox, NoticeKind, RasaRelay, publish


def test_notices_come_out_once_in_the_order_they_were_filed(redis_client: redis.Redis[bytes]) -> None:
    outbox = CitizenOutbox(redis_client)
    outbox.put("sms:+254700000001", CitizenNotice(NoticeKind.CLAIMED, "h_1"))
    outbox.put(
        "sms:+254700000001", CitizenNotice(NoticeKind.AGENT_REPLY, "h_1", text="Habari, ninaweza kusaidia?")
    )
    taken = outbox.take("sms:+254700000001")
    assert [n.kind for n in taken] == [NoticeKind.CLAIMED, NoticeKind.AGENT_REPLY]
    assert taken[1].text == "Habari, ninaweza kusaidia?"
    assert outbox.take("sms:+254700000001") == []
    assert redis_client.ttl(redis_keys.handoff_outbox("sms:+254700000001")) == -2


def test_two_relays_taking_together_say_each_notice_once(redis_client: redis.Redis[bytes]) -> None:
    outbox = CitizenOutbox(redis_client)
    for i in range(200):
        outbox.put("web:x", CitizenNotice(NoticeKind.AGENT_REPLY, "h_1", text=str(i)))
    said: list[str] = []
    threads = [
        threading.Thread(target=lambda: said.extend(n.text for n in outbox.take("web:x"))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(said, key=int) == [str(i) for i in range(200)]


def test_the_live_message_names_the_handoff_only(redis_client: redis.Redis[bytes]) -> None:
    listener = redis_client.pubsub()
    listener.subscribe(redis_keys.handoff_live("health"))
    listener.get_message(timeout=1)  # the subscription confirmation
    publish(redis_client, "health", "citizen_message", "h_abc")
    message = listener.get_message(timeout=2)
    assert message is not None
    assert json.loads(message["data"]) == {"kind": "citizen_message", "handoff_id": "h_abc"}


def test_an_unreachable_rasa_means_try_again_later() -> None:
    assert RasaRelay("http://127.0.0.1:9", "token", timeout=0.5).wake("web:x", "socketio") is False
