"""What was pushed into each conversation, kept beside it in Redis rather than in Rasa's tracker.

A delivery sent straight through the citizen's channel (``bot/channels/direct.py``) never passes
through Rasa, so the conversation's tracker does not see it. This record is what the conversation
knows of it: which deliveries it was shown (a delivery replayed after a crash shows nothing the second
time) and the last notice of each kind ("tell me more" is about the alert just received). Deliveries
made through Rasa's ``trigger_intent`` are noted here too (``actions/alerts.py``), so the record is
the one place that says what came last, whichever way it came.

One hash per conversation: delivery id -> ``{"k": kind, "r": reference, "t": time}``. Claiming a
delivery (``HSETNX``) is the decision to send it: only the worker whose claim succeeds sends, and a
send that fails is released, so that the retry sends again. Like a Rasa turn, whose messages go out
after its conversation is saved, a worker killed between its claim and the channel's answer has
recorded a notice the channel may not have received; it is never sent twice. The hash is kept as long
as a conversation (its expiry is renewed at each claim) and deleted with it ("delete my data").
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot import redis_keys
from bot.fanout.notices import NoticeKind

if TYPE_CHECKING:
    import redis


@dataclass(frozen=True)
class PushedNotice:
    """One notice a conversation was shown."""

    delivery_id: str
    kind: NoticeKind
    reference: str
    at: float


@dataclass(frozen=True)
class Claim:
    """A delivery about to be sent into a conversation."""

    conversation_id: str
    delivery_id: str
    kind: NoticeKind
    reference: str


class PushedNotices:
    """Per conversation: the notices pushed into it."""

    def __init__(self, client: redis.Redis[bytes], keep_seconds: int) -> None:
        self._redis = client
        self._keep = max(1, keep_seconds)

    def claim_many(self, claims: list[Claim]) -> list[bool]:
        """Record each delivery in its conversation unless it is there already, in one round trip;
        for each, whether this call recorded it (only then is it to be sent)."""
        if not claims:
            return []
        pipe = self._redis.pipeline(transaction=False)
        now = time.time()
        for claim in claims:
            key = redis_keys.pushed_notices(claim.conversation_id)
            pipe.hsetnx(key, claim.delivery_id, _entry(claim, now))
            pipe.expire(key, self._keep)
        return [bool(added) for added in pipe.execute()[::2]]

    def release_many(self, claims: list[Claim]) -> None:
        """Forget deliveries that could not be sent, so that their retry sends them."""
        if not claims:
            return
        pipe = self._redis.pipeline(transaction=False)
        for claim in claims:
            pipe.hdel(redis_keys.pushed_notices(claim.conversation_id), claim.delivery_id)
        pipe.execute()

    def remember(self, claim: Claim) -> None:
        """Note a delivery the conversation showed itself (Rasa's ``trigger_intent``)."""
        key = redis_keys.pushed_notices(claim.conversation_id)
        pipe = self._redis.pipeline(transaction=False)
        pipe.hset(key, claim.delivery_id, _entry(claim, time.time()))
        pipe.expire(key, self._keep)
        pipe.execute()

    def latest(self, conversation_id: str, kinds: frozenset[NoticeKind]) -> PushedNotice | None:
        """The most recent notice of one of ``kinds`` pushed into the conversation, if any."""
        best: PushedNotice | None = None
        for delivery_id, raw in self._redis.hgetall(redis_keys.pushed_notices(conversation_id)).items():
            try:
                entry = json.loads(raw)
                notice = PushedNotice(
                    delivery_id.decode(), NoticeKind(entry["k"]), str(entry["r"]), entry["t"]
                )
            except (ValueError, KeyError, TypeError):
                continue
            if notice.kind in kinds and (best is None or notice.at >= best.at):
                best = notice
        return best


def _entry(claim: Claim, now: float) -> str:
    return json.dumps({"k": claim.kind.value, "r": claim.reference, "t": now})
