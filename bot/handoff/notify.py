"""Telling citizens what happened to their handoff: file the notice, wake the conversation.

Both sides use it: the inbox when a person claims, replies, transfers or ends (and the others waiting
move up), the conversation when a citizen leaves the queue (the others move up too). Waking goes
through Rasa's HTTP API, so callers on an event loop run it in an executor. The services build it
with :func:`citizen_channel`: the output channel that reaches the citizen (a USSD citizen by SMS).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.fanout.channels import ANSWER_ONLY_CHANNELS
from bot.handoff.model import Handoff
from bot.handoff.relay import CitizenNotice, CitizenOutbox, NoticeKind, Relay, publish
from bot.subscriptions.store import PUSH_CHANNEL

if TYPE_CHECKING:
    import redis

    from bot.handoff.service import PlaceChange


def same_channel(handoff: Handoff) -> str:
    """The output channel a handoff's notices go out on: the one the citizen wrote on."""
    return handoff.channel


#: Channels that only answer the request in hand and have no other way to the citizen: their notices
#: wait in the outbox and are said with the answer to the citizen's next message.
NOT_PUSHED = ANSWER_ONLY_CHANNELS - set(PUSH_CHANNEL)


def citizen_channel(handoff: Handoff) -> str:
    """The output channel that reaches the handoff's citizen now ("" when none can: answer-only).

    A USSD session cannot be written to later, so a USSD citizen's notices and the agent's replies go
    by SMS on their number, as their alerts do (:data:`PUSH_CHANNEL`)."""
    if handoff.channel in NOT_PUSHED:
        return ""
    return PUSH_CHANNEL.get(handoff.channel, handoff.channel)


class HandoffNotifier:
    """Files notices in the citizen's outbox, wakes their conversation, and tells the desk."""

    def __init__(
        self,
        client: redis.Redis[bytes],
        relay: Relay,
        output_channel: Callable[[Handoff], str] = same_channel,
    ) -> None:
        self._redis = client
        self._outbox = CitizenOutbox(client)
        self._relay = relay
        self._output_channel = output_channel

    def tell(self, handoff: Handoff, notice: CitizenNotice) -> bool:
        """Say ``notice`` to the handoff's citizen; False when the conversation could not be woken
        now (the notice stays in the outbox and is said at the next wake or the citizen's next turn)."""
        self._outbox.put(handoff.conversation_id, notice)
        return self.wake(handoff)

    def wake(self, handoff: Handoff) -> bool:
        """Have the handoff's conversation say what its outbox holds, on the channel that reaches the
        citizen; False when it could not be woken now."""
        channel = self._output_channel(handoff)
        if not channel:  # nothing reaches the citizen now: said with the answer to their next message
            return False
        return self._relay.wake(handoff.conversation_id, channel)

    def tell_places(self, changes: Iterable[PlaceChange]) -> None:
        """Tell every citizen still waiting their new place and wait."""
        for handoff in self.file_places(changes):
            self.wake(handoff)

    def file_places(self, changes: Iterable[PlaceChange]) -> list[Handoff]:
        """File each citizen's new place in their outbox (kept until said); the handoffs to wake."""
        filed = []
        for change in changes:
            notice = CitizenNotice(
                NoticeKind.PLACE,
                change.handoff.handoff_id,
                position=change.position,
                expected_wait_seconds=_seconds(change.expected_wait),
            )
            self._outbox.put(change.handoff.conversation_id, notice)
            filed.append(change.handoff)
        return filed

    def desk_event(self, handoff: Handoff, kind: str) -> None:
        """Tell the desk's open inbox pages (no personal data)."""
        publish(self._redis, handoff.desk, kind, handoff.handoff_id)


def _seconds(wait: timedelta) -> int:
    return int(wait.total_seconds())
