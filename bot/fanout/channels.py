"""Where a delivery goes: one interface, one implementation per way of reaching citizens.

``RasaTrigger`` hands the delivery to the conversation (Rasa's ``trigger_intent`` with the
subscriber's ``output_channel``), so the alert is part of the conversation, worded in its language,
and "tell me more" afterwards is about it. ``NullChannel`` only records the effect (benchmarks and
fault tests): like the conversation, it acts on each delivery id once.

A delivery that no channel here can make is *skipped*, with its reason, never counted as sent: the
subscriber's channel only answers requests (REST, USSD: nothing can be pushed to them), or it is not
configured in this installation (no SMS gateway, no Telegram token). Only Rasa knows which outputs it
has: for a channel it has none for, it collects the messages and returns them in its answer instead
of sending them. The conversation still records the notice (so its history, "tell me more" and the
retry after a crash work as for any other); only the count says that it reached nobody.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Protocol

import requests

from bot import redis_keys
from bot.fanout.notices import TRIGGERS, Notice, NoticeKind, Trigger
from bot.identity import conversation_path

if TYPE_CHECKING:
    import redis


class Outcome(str, Enum):
    """What became of one delivery attempt."""

    SENT = "sent"
    RETRY = "retry"  #: a passing failure (timeout, 5xx, rate limited): try again later
    FAILED = "failed"  #: a permanent failure (refused): do not retry
    SKIPPED = "skipped"  #: no channel here can reach the subscriber (:class:`SkipReason`): do not retry


class SkipReason(str, Enum):
    """Why a delivery was skipped, as the ministry's delivery progress counts it."""

    NOT_CONFIGURED = "not_configured"  #: the subscriber's channel is not set up in this installation
    CANNOT_PUSH = "cannot_push"  #: the channel only answers the citizen's requests (REST, USSD)
    UNSUBSCRIBED = "unsubscribed"  #: the subscriber left before it was their turn
    WITHDRAWN = "withdrawn"  #: the alert was cancelled or replaced before it was their turn


#: Channels that only answer the request in hand: a message cannot be pushed to them.
ANSWER_ONLY_CHANNELS = frozenset({"rest", "cmdline", "ussd"})


class DeliveryChannel(Protocol):
    """Sends notices; never raises for a failed delivery, it reports the outcome."""

    def send(self, notice: Notice) -> tuple[Outcome, str]:
        """Deliver; the outcome and, for failures, why."""


class BatchChannel(DeliveryChannel, Protocol):
    """A channel that sends a whole batch at once (``bot/channels/direct.py``)."""

    def send_many(self, notices: list[Notice]) -> list[tuple[Outcome, str]]:
        """Deliver; the outcome of each notice, in order."""


class RasaTrigger:
    """Delivers through Rasa's HTTP API: ``POST /conversations/<id>/trigger_intent``."""

    def __init__(
        self,
        rasa_url: str,
        token: str,
        timeout: float = 10.0,
        triggers: Mapping[NoticeKind, Trigger] = TRIGGERS,
    ) -> None:
        self._url = rasa_url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._triggers = triggers
        self._session = requests.Session()

    def send(self, notice: Notice) -> tuple[Outcome, str]:
        """Trigger the notice's intent in the subscriber's conversation, answered on their channel."""
        url = f"{self._url}/conversations/{conversation_path(notice.address)}/trigger_intent"
        trigger = self._triggers[notice.kind]
        entities = {
            trigger.reference_entity: notice.reference,
            "delivery_kind": notice.kind.value,
            "delivery_id": notice.delivery_id,
            **({"language": notice.language} if notice.language else {}),
        }
        body = {"name": trigger.intent, "entities": entities}
        try:
            reply = self._session.post(
                url,
                # the conversation's slots without its events: the acknowledgement needs no more
                params={"output_channel": notice.channel, "token": self._token, "include_events": "NONE"},
                json=body,
                timeout=self._timeout,
            )
        except requests.RequestException as error:
            return Outcome.RETRY, f"Rasa unreachable: {type(error).__name__}"
        if reply.status_code == 200:
            return _acknowledged(reply, notice)
        reason = f"Rasa answered {reply.status_code}: {reply.text[:200]}"
        if reply.status_code in (408, 409, 429) or reply.status_code >= 500:
            return Outcome.RETRY, reason
        return Outcome.FAILED, reason


def _acknowledged(reply: requests.Response, notice: Notice) -> tuple[Outcome, str]:
    """Sent only when the conversation remembers the delivery id (its action ran to the end) and
    the channel sent it: skipped when Rasa has no output for the subscriber's channel.

    Rasa answers 200 even when the action behind the intent failed (action server down, a store
    unavailable): the events are dropped and the citizen saw nothing, so that is retried, whatever
    the channel (the conversation must record the notice once, even where nobody can be pushed).
    """
    try:
        answer = reply.json()
        remembered = answer["tracker"]["slots"].get("delivered_alerts") or []
    except (ValueError, KeyError, TypeError, AttributeError):
        return Outcome.RETRY, "Rasa's answer holds no conversation state"
    if notice.delivery_id not in remembered:
        return Outcome.RETRY, "the assistant did not record the delivery (its action did not run to the end)"
    if "messages" in answer:  # Rasa has no output for this channel: it collected what it would send
        reason = (
            SkipReason.CANNOT_PUSH if notice.channel in ANSWER_ONLY_CHANNELS else SkipReason.NOT_CONFIGURED
        )
        return Outcome.SKIPPED, reason.value
    return Outcome.SENT, ""


class NullChannel:
    """Acts on each delivery id once and counts attempts (benchmarks and fault tests)."""

    def __init__(self, client: redis.Redis[bytes], name: str = "null") -> None:
        self._redis = client
        self._name = name

    def send(self, notice: Notice) -> tuple[Outcome, str]:
        """Record the effect (idempotently) and count the attempt."""
        pipe = self._redis.pipeline(transaction=False)
        pipe.sadd(redis_keys.delivered_effects(self._name), notice.delivery_id)
        pipe.incr(redis_keys.delivery_attempts(self._name))
        pipe.execute()
        return Outcome.SENT, ""


class FailingChannel:
    """A channel that always fails in the same way (fault tests)."""

    def __init__(self, outcome: Outcome, reason: str = "simulated failure") -> None:
        self._outcome = outcome
        self._reason = reason

    def send(self, notice: Notice) -> tuple[Outcome, str]:
        """Fail."""
        return self._outcome, self._reason
