"""Alerts sent straight through the channels' outputs, to the e2e tests' provider stand-in, with the
real test Redis as the conversations' record of pushed notices."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from rasa.core.channels.channel import OutputChannel

from bot.channels.direct import DirectDelivery, direct_outputs
from bot.channels.http import ProviderError
from bot.channels.telegram import TelegramOutput
from bot.channels.twilio import TwilioSmsOutput
from bot.fanout.__main__ import alert_words
from bot.fanout.channels import Outcome, SkipReason
from bot.fanout.notices import Broadcast, Notice, NoticeKind
from bot.runtime.credentials import channel_credentials
from bot.services import Services, use
from tests.bot.alerts.test_service import METEO_AUTHOR, make_alert
from tests.e2e.conftest import ProviderStandIn


class Recording:
    """The fallback (Rasa's trigger_intent in the worker): what it was handed."""

    def __init__(self) -> None:
        self.notices: list[Notice] = []

    def send(self, notice: Notice) -> tuple[Outcome, str]:
        self.notices.append(notice)
        return Outcome.SENT, ""


class Refusing(OutputChannel):
    """A provider that answers every message with one HTTP status."""

    def __init__(self, status: int) -> None:
        self.status = status

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        raise ProviderError(f"{self.status}: refused", self.status)


@pytest.fixture()
def stand_in() -> Iterator[ProviderStandIn]:
    provider = ProviderStandIn()
    yield provider
    provider.shutdown()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _direct(services: Services, outputs: dict[str, OutputChannel], fallback: Recording) -> DirectDelivery:
    use(services)  # the SMS pager keeps later pages in the test Redis
    return DirectDelivery(outputs, alert_words(services), services.pushed_notices, fallback)


def _outputs(url: str) -> dict[str, OutputChannel]:
    return {
        "telegram": TelegramOutput("123:abc", url),
        "twilio": TwilioSmsOutput("AC1", "token", url, "+15005550006", 3),
    }


def test_each_subscriber_gets_the_alert_once_in_their_language(
    services: Services, stand_in: ProviderStandIn
) -> None:
    record = services.alerts.create(METEO_AUTHOR, make_alert(services, headline="Cholera outbreak"))
    broadcast = Broadcast.alert(record.alert_id)
    notices = [
        Notice(broadcast, "telegram", "telegram:1", language="en"),
        Notice(broadcast, "telegram", "telegram:2", language="fr"),
        Notice(broadcast, "twilio", "sms:+254700000001", language="en"),
    ]
    direct = _direct(services, _outputs(stand_in.url), Recording())
    try:
        assert direct.send_many(notices) == [(Outcome.SENT, "")] * 3
        telegram = {m["chat_id"]: m["text"] for m in stand_in.calls_to("/sendMessage")}
        assert set(telegram) == {"1", "2"}
        assert "Cholera outbreak" in telegram["1"] and "Boil drinking water." in telegram["1"]
        locales = services.catalogues().locales
        assert locales["fr"].ministry_names["meteo"] in telegram["2"]  # worded in French
        [sms] = stand_in.calls_to("/Messages.json")
        assert sms["To"] == "+254700000001" and "Cholera outbreak" in sms["Body"]
        # Replayed (a worker killed before recording its batch): shown already, nothing sent again
        assert direct.send_many(notices) == [(Outcome.SENT, "")] * 3
        assert len(stand_in.calls) == 3
        latest = services.pushed_notices.latest("telegram:1", frozenset({NoticeKind.ALERT}))
        assert latest is not None and latest.reference == record.alert_id  # "tell me more" knows it
    finally:
        direct.close()


def test_a_send_that_failed_is_sent_by_its_retry(services: Services, stand_in: ProviderStandIn) -> None:
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    notice = Notice(Broadcast.alert(record.alert_id), "telegram", "telegram:7", language="en")
    unreachable = _direct(services, _outputs(f"http://127.0.0.1:{_closed_port()}"), Recording())
    try:
        [(outcome, reason)] = unreachable.send_many([notice])
    finally:
        unreachable.close()
    assert outcome is Outcome.RETRY and "unreachable" in reason
    assert services.pushed_notices.latest("telegram:7", frozenset({NoticeKind.ALERT})) is None
    direct = _direct(services, _outputs(stand_in.url), Recording())
    try:
        assert direct.send_many([notice]) == [(Outcome.SENT, "")]
    finally:
        direct.close()
    assert [m["chat_id"] for m in stand_in.calls_to("/sendMessage")] == ["7"]


@pytest.mark.parametrize(
    ("status", "outcome"), [(403, Outcome.FAILED), (429, Outcome.RETRY), (502, Outcome.RETRY)]
)
def test_a_refusal_is_final_and_throttling_is_retried(
    services: Services, status: int, outcome: Outcome
) -> None:
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    notice = Notice(Broadcast.alert(record.alert_id), "telegram", "telegram:9", language="en")
    direct = _direct(services, {"telegram": Refusing(status)}, Recording())
    try:
        [(got, reason)] = direct.send_many([notice])
    finally:
        direct.close()
    assert got is outcome and str(status) in reason
    # nothing was shown: the claim is released (a retry sends; a failure is not "in the conversation")
    assert services.pushed_notices.latest("telegram:9", frozenset({NoticeKind.ALERT})) is None


def test_what_it_does_not_word_goes_through_the_conversation(
    services: Services, stand_in: ProviderStandIn
) -> None:
    record = services.alerts.create(METEO_AUTHOR, make_alert(services))
    alert = Broadcast.alert(record.alert_id)
    news = Notice(Broadcast(NoticeKind.CONCERN, "K7P2QX", "1"), "telegram", "telegram:1", language="en")
    web = Notice(alert, "socketio", "web:abc", language="en")
    fallback = Recording()
    direct = _direct(services, _outputs(stand_in.url), fallback)
    try:
        assert direct.send_many([news, web]) == [(Outcome.SENT, "")] * 2
        assert fallback.notices == [news, web] and stand_in.calls == []
        services.alerts.cancel(METEO_AUTHOR, record.alert_id)  # withdrawn since it was queued
        withdrawn = Notice(alert, "telegram", "telegram:3", language="en")
        assert direct.send_many([withdrawn]) == [(Outcome.SKIPPED, SkipReason.WITHDRAWN.value)]
        assert stand_in.calls == []
        cancelled = Notice(Broadcast.cancellation(record.alert_id), "telegram", "telegram:3", language="en")
        assert direct.send_many([cancelled]) == [(Outcome.SENT, "")]
        assert "Cholera outbreak" in stand_in.calls_to("/sendMessage")[0]["text"]
    finally:
        direct.close()


def test_the_channels_configured_for_rasa_are_the_ones_pushed_to(services: Services) -> None:
    settings = replace(
        services.settings,
        telegram_token="123:abc",
        telegram_secret_token="secret",
        twilio_account_sid="AC1",
        twilio_auth_token="token",
        twilio_sms_number="+15005550006",
        twilio_whatsapp_number="whatsapp:+14155238886",
        facebook_verify="v",
        facebook_secret="s",
        facebook_page_access_token="p",
    )
    # the web chat only when Rasa shares its sockets (tests/bot/channels/test_direct_web_messenger.py)
    use(services)
    assert set(direct_outputs(channel_credentials(settings))) == {
        "telegram",
        "twilio",
        "whatsapp",
        "facebook",
    }
    assert direct_outputs(channel_credentials(replace(services.settings, rest_channel=True))) == {}
