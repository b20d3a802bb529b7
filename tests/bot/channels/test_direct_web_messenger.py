"""The web chat and Messenger pushed straight from the delivery worker: what they send matches what the
Rasa server's outputs send, and the worker's guarantees (claimed once, released on failure) hold.

The web chat against the real test Redis (its presence, pub/sub channel and inbox); Messenger against
the e2e tests' provider stand-in. A socket receiving the pushed message is tested on the running stack
(tests/e2e/test_direct_delivery.py)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
import redis
from rasa.core.channels.channel import OutputChannel

from bot import redis_keys
from bot.channels.direct import DirectDelivery, direct_outputs
from bot.channels.inbox import OfflineInbox
from bot.channels.messenger import MessengerSendApi, QuickReplyBot, _client
from bot.channels.presence import WebChatPresence
from bot.channels.socketio import WebChatPush
from bot.fanout.__main__ import alert_words
from bot.fanout.channels import Outcome
from bot.fanout.notices import Broadcast, Notice, NoticeKind
from bot.runtime.credentials import channel_credentials
from bot.services import Services, use
from tests.bot.alerts.test_service import METEO_AUTHOR, make_alert
from tests.bot.channels.test_direct import Recording, _closed_port
from tests.conftest import TEST_REDIS_URL
from tests.e2e.conftest import ProviderStandIn

WEB = "web:" + "a" * 40


@pytest.fixture()
def stand_in() -> Iterator[ProviderStandIn]:
    provider = ProviderStandIn()
    yield provider
    provider.shutdown()


def _direct(services: Services, outputs: dict[str, OutputChannel]) -> DirectDelivery:
    use(services)
    return DirectDelivery(outputs, alert_words(services), services.pushed_notices, Recording())


def _alert(services: Services) -> Broadcast:
    return Broadcast.alert(services.alerts.create(METEO_AUTHOR, make_alert(services)).alert_id)


def _connected(conversation: str) -> None:
    async def arrive() -> None:
        client = redis.asyncio.Redis.from_url(TEST_REDIS_URL)
        await WebChatPresence(client, "rasa-1").arrive(conversation, "sid-1")
        await client.close()

    asyncio.run(arrive())


def _released(conversation: str) -> list[dict[str, object]]:
    return asyncio.run(OfflineInbox(TEST_REDIS_URL).release(conversation))


def _channel(client: redis.Redis[bytes]) -> str:
    return redis_keys.socketio_channel(int(client.connection_pool.connection_kwargs.get("db") or 0))


def _published(listening: redis.client.PubSub, seconds: float = 1.5) -> list[dict[str, Any]]:
    """What was published on the channel (read until it stays quiet)."""
    got = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        message = listening.get_message(timeout=0.2)
        if message is not None:
            got.append(message)
    listening.close()
    return got


def test_a_connected_web_chat_gets_the_alert_through_the_socketio_redis_manager_once(
    services: Services, redis_client: redis.Redis[bytes]
) -> None:
    notice = Notice(_alert(services), "socketio", WEB, language="fr")
    _connected(WEB)
    listening = redis_client.pubsub(ignore_subscribe_messages=True)
    listening.subscribe(_channel(redis_client))  # as a Rasa server's Redis manager listens
    direct = _direct(services, {"socketio": WebChatPush(TEST_REDIS_URL, "bot_uttered")})
    try:
        assert direct.send_many([notice]) == [(Outcome.SENT, "")]
        assert direct.send_many([notice]) == [(Outcome.SENT, "")]  # replayed: claimed already
    finally:
        direct.close()
    published = _published(listening)
    assert len(published) == 1  # once
    emitted = json.loads(published[0]["data"])
    assert (emitted["method"], emitted["event"], emitted["room"]) == ("emit", "bot_uttered", WEB)
    [message] = emitted["data"]
    assert "Cholera outbreak" in message["text"]
    assert message["metadata"] == {"language": "fr", "direction": "ltr"}  # as WebChatOutput says it
    assert _released(WEB) == []
    latest = services.pushed_notices.latest(WEB, frozenset({NoticeKind.ALERT}))
    assert latest is not None and latest.reference == notice.reference  # "tell me more" knows it


def test_a_web_chat_nobody_holds_finds_the_alert_in_its_inbox(
    services: Services, redis_client: redis.Redis[bytes]
) -> None:
    alert = _alert(services)
    away = Notice(alert, "socketio", WEB, language="en")
    # counted as connected, but no Rasa server listens (stopped, or its manager off): kept too
    stale = Notice(alert, "socketio", "web:" + "b" * 40, language="en")
    _connected(stale.address)
    direct = _direct(services, {"socketio": WebChatPush(TEST_REDIS_URL, "bot_uttered")})
    try:
        assert direct.send_many([away, stale]) == [(Outcome.SENT, "")] * 2
    finally:
        direct.close()
    for conversation in (away.address, stale.address):
        [held] = _released(conversation)
        assert "Cholera outbreak" in str(held["text"])
        assert held["metadata"] == {"language": "en", "direction": "ltr"}


def test_a_web_chat_push_without_redis_is_retried_and_released(services: Services) -> None:
    notice = Notice(_alert(services), "socketio", WEB, language="en")
    unreachable = WebChatPush(f"redis://127.0.0.1:{_closed_port()}/0", "bot_uttered")
    direct = _direct(services, {"socketio": unreachable})
    try:
        [(outcome, reason)] = direct.send_many([notice])
    finally:
        direct.close()
    assert outcome is Outcome.RETRY and "Redis" in reason
    assert services.pushed_notices.latest(WEB, frozenset({NoticeKind.ALERT})) is None


def test_messenger_gets_what_rasa_s_output_sends_once(services: Services, stand_in: ProviderStandIn) -> None:
    notice = Notice(_alert(services), "facebook", "messenger:psid-7", language="en")
    direct = _direct(services, {"facebook": MessengerSendApi("page-token", stand_in.url)})
    try:
        assert direct.send_many([notice]) == [(Outcome.SENT, "")]
        assert direct.send_many([notice]) == [(Outcome.SENT, "")]  # replayed: nothing sent again
        # to a conversation of another channel: refused, nothing sent, nothing claimed
        foreign = Notice(notice.broadcast, "facebook", "sms:+254700000001", language="en")
        [(outcome, _)] = direct.send_many([foreign])
        assert outcome is Outcome.FAILED
    finally:
        direct.close()
    worker_calls = list(stand_in.calls)
    assert len(worker_calls) == 1
    [(path, body)] = worker_calls
    assert "Cholera outbreak" in body["message"]["text"]
    # The Rasa server's output (fbmessenger's client) sends the same request
    text = body["message"]["text"]
    asyncio.run(
        QuickReplyBot(_client("page-token", stand_in.url)).send_text_message("messenger:psid-7", text)
    )
    assert stand_in.calls[1] == (path, body)
    assert services.pushed_notices.latest("sms:+254700000001", frozenset({NoticeKind.ALERT})) is None


def test_messenger_choices_are_the_same_quick_replies(stand_in: ProviderStandIn) -> None:
    buttons = [
        {"title": "A very long choice title indeed", "payload": "/yes"},
        {"title": "No", "payload": "/no"},
    ]

    async def both() -> None:
        await MessengerSendApi("t", stand_in.url).send_text_with_buttons("messenger:p", "Sure?", buttons)
        await QuickReplyBot(_client("t", stand_in.url)).send_text_with_buttons(
            "messenger:p", "Sure?", buttons
        )

    asyncio.run(both())
    assert stand_in.calls[0] == stand_in.calls[1]
    assert stand_in.calls[0][1]["message"]["quick_replies"][0]["title"] == "A very long choice…"


def test_an_unreachable_graph_api_is_retried(services: Services) -> None:
    notice = Notice(_alert(services), "facebook", "messenger:psid-8", language="en")
    unreachable = MessengerSendApi("page-token", f"http://127.0.0.1:{_closed_port()}")
    direct = _direct(services, {"facebook": unreachable})
    try:
        [(outcome, reason)] = direct.send_many([notice])
    finally:
        direct.close()
    assert outcome is Outcome.RETRY and "unreachable" in reason
    assert services.pushed_notices.latest("messenger:psid-8", frozenset({NoticeKind.ALERT})) is None


def test_the_web_chat_goes_direct_only_where_rasa_shares_its_sockets(services: Services) -> None:
    """With ``socketio_across_replicas`` off no other process reaches the sockets: the worker leaves
    the web chat to Rasa's trigger_intent (no output here, so ``DirectDelivery`` passes it on)."""
    settings = replace(
        services.settings, facebook_verify="v", facebook_secret="s", facebook_page_access_token="p"
    )
    try:
        use(Services(settings))
        assert set(direct_outputs(channel_credentials(settings))) == {"facebook"}
        use(Services(replace(settings, socketio_across_replicas=True)))
        outputs = direct_outputs(channel_credentials(settings))
        assert set(outputs) == {"facebook", "socketio"}
        assert isinstance(outputs["socketio"], WebChatPush)
    finally:
        use(None)
