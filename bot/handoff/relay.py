"""How the desk's side reaches a citizen whose conversation is handed over, and how the desk hears
the citizen: the one contract between the inbox (web app) and the conversation (Rasa and actions).

To the citizen: the inbox never talks to a channel. It files what the citizen must be told in the
conversation's *outbox* (:class:`CitizenOutbox`) and wakes the conversation (:class:`Relay`): Rasa
runs ``action_handoff_relay`` in it (``POST /conversations/<id>/execute``, which runs even while the
conversation is paused), and that action takes the outbox and says each notice on the citizen's
channel. So an agent's words are part of the conversation (the history, the next agent and "delete my
data" see them) and reach every channel the way alerts do.

To the desk: every event an agent's screen must show at once (a citizen's new message, a handoff
queued, claimed, transferred or ended) is published on the desk's live channel (:func:`publish`); the
inbox page listens there. A message is only a hint to refresh: the store stays the truth, so a screen
that missed one loses nothing.
"""

from __future__ import annotations

import asyncio
import enum
import json
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Protocol

import requests

from bot import redis_keys
from bot.identity import conversation_path

if TYPE_CHECKING:
    import redis
    import redis.asyncio as aioredis

#: How long undelivered notices are kept for a conversation (a citizen who went away).
OUTBOX_SECONDS = 7 * 86400
#: ``said_by`` of a message said for a desk's person (in the bot event's metadata): the inbox shows
#: those words as the person's, not the assistant's.
SAID_BY_PERSON = "person"


class NoticeKind(str, enum.Enum):
    """What the citizen is told while handed over."""

    PLACE = "place"  #: their place in the queue changed (position, expected wait)
    CLAIMED = "claimed"  #: a person took the conversation
    AGENT_REPLY = "agent_reply"  #: the person's words (``text``)
    TRANSFERRED = "transferred"  #: sent to another desk (position, expected wait)
    ENDED = "ended"  #: the person ended it: the assistant is back and asks for a rating


@dataclass(frozen=True)
class CitizenNotice:
    """One thing to say to the citizen; texts other than an agent's come from the locales."""

    kind: NoticeKind
    handoff_id: str
    text: str = ""  #: the agent's words, for AGENT_REPLY
    position: int | None = None
    expected_wait_seconds: int | None = None

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "kind": self.kind.value}, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str | bytes) -> CitizenNotice:
        data = json.loads(raw)
        return cls(**{**data, "kind": NoticeKind(data["kind"])})


class CitizenOutbox:
    """Per conversation, the notices not yet said, in order."""

    def __init__(self, client: redis.Redis[bytes]) -> None:
        self._redis = client

    def put(self, conversation_id: str, notice: CitizenNotice) -> None:
        key = redis_keys.handoff_outbox(conversation_id)
        pipe = self._redis.pipeline(transaction=True)
        pipe.rpush(key, notice.to_json())
        pipe.expire(key, OUTBOX_SECONDS)
        pipe.execute()

    def waiting(self, conversation_id: str) -> bool:
        """Whether notices wait to be said (cheap: checked before each of the citizen's turns)."""
        return bool(self._redis.exists(redis_keys.handoff_outbox(conversation_id)))

    def take(self, conversation_id: str) -> list[CitizenNotice]:
        """Every notice waiting, removed at once (two relays running together say each once)."""
        key = redis_keys.handoff_outbox(conversation_id)
        pipe = self._redis.pipeline(transaction=True)
        pipe.lrange(key, 0, -1)
        pipe.delete(key)
        raw, _ = pipe.execute()
        return [CitizenNotice.from_json(item) for item in raw]


class Relay(Protocol):
    """Wakes a conversation so that it says what its outbox holds."""

    def wake(self, conversation_id: str, output_channel: str) -> bool:
        """True when the conversation ran the relay; False to try again later (outbox kept)."""


class RasaRelay:
    """Runs ``action_handoff_relay`` through Rasa's HTTP API."""

    ACTION = "action_handoff_relay"

    def __init__(self, rasa_url: str, token: str, timeout: float = 10.0) -> None:
        self._url = rasa_url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._session = requests.Session()

    def wake(self, conversation_id: str, output_channel: str) -> bool:
        url = f"{self._url}/conversations/{conversation_path(conversation_id)}/execute"
        try:
            reply = self._session.post(
                url,
                params={"output_channel": output_channel, "token": self._token, "include_events": "NONE"},
                json={"name": self.ACTION},
                timeout=self._timeout,
            )
        except requests.RequestException:
            return False
        return reply.status_code == 200


def publish(client: redis.Redis[bytes], desk: str, kind: str, handoff_id: str, **extra: Any) -> None:
    """Tell the desk's open inbox pages that something changed (no personal data in the message)."""
    client.publish(
        redis_keys.handoff_live(desk), json.dumps({"kind": kind, "handoff_id": handoff_id, **extra})
    )


async def listen(
    client: aioredis.Redis[bytes], desks: Iterable[str], heartbeat_seconds: float = 15.0
) -> AsyncIterator[dict[str, Any] | None]:
    """The desks' live events as they are published; None every ``heartbeat_seconds`` without one
    (an inbox page's stream sends a comment then, so a dead connection is noticed). Runs until the
    caller stops iterating."""
    pubsub = client.pubsub()
    await pubsub.subscribe(*(redis_keys.handoff_live(desk) for desk in desks))
    try:
        quiet_since = time.monotonic()
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is not None and message.get("type") == "message":
                try:
                    event = json.loads(message["data"])
                except ValueError:
                    continue
                if isinstance(event, dict):
                    quiet_since = time.monotonic()
                    yield event
            elif time.monotonic() - quiet_since >= heartbeat_seconds:
                quiet_since = time.monotonic()
                yield None
            else:
                await asyncio.sleep(0)
    finally:
        await pubsub.unsubscribe()
        await pubsub.close()  # type: ignore[no-untyped-call]
