"""Handoffs in Redis: documents, each desk's queue, and who holds what.

Every change of a handoff's state is one optimistic transaction on its document (WATCH/MULTI): of two
people claiming the same conversation at once, exactly one succeeds and the other is told it is taken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import cast

import redis

from bot import redis_keys
from bot.handoff.model import ACTIVE, Handoff, Status

#: Documents read per round trip when listing many.
READ_BATCH = 500
#: Urgent handoffs sort before every normal one: a score offset far beyond any epoch time.
URGENT_OFFSET = 1e11


class Conflict(RuntimeError):
    """The handoff is not in a state that allows the change (e.g. already claimed)."""


def _score(handoff: Handoff) -> float:
    moment = handoff.requested_at.timestamp()
    return moment if handoff.urgent else moment + URGENT_OFFSET


class HandoffStore:
    """Read and change handoffs."""

    def __init__(self, client: redis.Redis[bytes]) -> None:
        self._redis = client

    def get(self, handoff_id: str) -> Handoff | None:
        raw = self._redis.get(redis_keys.handoff(handoff_id))
        return Handoff.from_json(raw) if raw else None

    def active_for(self, conversation_id: str) -> Handoff | None:
        """The conversation's waiting or held handoff, if any."""
        handoff_id = self._redis.get(redis_keys.handoff_of_conversation(conversation_id))
        found = self.get(handoff_id.decode()) if handoff_id else None
        return found if found and found.status in ACTIVE else None

    def await_rating(self, handoff: Handoff, ttl_seconds: int) -> None:
        """Remember that ``handoff``'s citizen may still rate it, for ``ttl_seconds``."""
        key = redis_keys.handoff_rating_of_conversation(handoff.conversation_id)
        self._redis.set(key, handoff.handoff_id, ex=ttl_seconds)

    def awaiting_rating(self, conversation_id: str) -> Handoff | None:
        """The conversation's ended handoff whose rating may still come, if any."""
        handoff_id = self._redis.get(redis_keys.handoff_rating_of_conversation(conversation_id))
        found = self.get(handoff_id.decode()) if handoff_id else None
        return found if found and found.status is Status.ENDED else None

    def add(self, handoff: Handoff, ttl_seconds: int) -> Handoff:
        """Queue a new handoff; the conversation's existing active one is returned instead, if any."""
        key = redis_keys.handoff_of_conversation(handoff.conversation_id)
        if not self._redis.set(key, handoff.handoff_id, nx=True, ex=ttl_seconds):
            existing = self.active_for(handoff.conversation_id)
            if existing is not None:
                return existing
            self._redis.set(key, handoff.handoff_id, ex=ttl_seconds)
        pipe = self._redis.pipeline()
        pipe.set(redis_keys.handoff(handoff.handoff_id), handoff.to_json(), ex=ttl_seconds)
        pipe.zadd(redis_keys.handoffs_waiting(handoff.desk), {handoff.handoff_id: _score(handoff)})
        pipe.zadd(redis_keys.handoffs_by_time(), {handoff.handoff_id: handoff.requested_at.timestamp()})
        pipe.execute()
        return handoff

    def change(
        self,
        handoff_id: str,
        change: Callable[[Handoff], Handoff],
        allowed: Iterable[Status],
        ttl_seconds: int,
    ) -> Handoff:
        """Apply ``change`` atomically if the handoff is in one of the ``allowed`` states.

        Raises:
            KeyError: no such handoff.
            Conflict: it is in another state (someone else changed it first).
        """
        permitted = frozenset(allowed)
        key = redis_keys.handoff(handoff_id)
        with self._redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = cast("bytes | None", pipe.get(key))  # immediate while watching
                    if raw is None:
                        raise KeyError(handoff_id)
                    before = Handoff.from_json(raw)
                    if before.status not in permitted:
                        raise Conflict(f"handoff {handoff_id} is {before.status.value}")
                    after = change(before)
                    pipe.multi()
                    pipe.set(key, after.to_json(), ex=ttl_seconds)
                    self._index(pipe, before, after, ttl_seconds)
                    pipe.execute()
                    return after
                except redis.WatchError:
                    continue

    def _index(self, pipe: redis.client.Pipeline, before: Handoff, after: Handoff, ttl: int) -> None:  # type: ignore[type-arg]
        """Keep the queues, the holders and the conversation's pointer in step with the document."""
        pipe.zrem(redis_keys.handoffs_waiting(before.desk), before.handoff_id)
        pipe.srem(redis_keys.handoffs_claimed(before.desk), before.handoff_id)
        conversation = redis_keys.handoff_of_conversation(after.conversation_id)
        if after.status is Status.WAITING:
            pipe.zadd(redis_keys.handoffs_waiting(after.desk), {after.handoff_id: _score(after)})
        elif after.status is Status.CLAIMED:
            pipe.sadd(redis_keys.handoffs_claimed(after.desk), after.handoff_id)
        if after.status in ACTIVE:
            pipe.set(conversation, after.handoff_id, ex=ttl)
        else:
            pipe.delete(conversation)

    def waiting(self, desk: str) -> list[Handoff]:
        """A desk's queue, first in line first."""
        ids = [i.decode() for i in self._redis.zrange(redis_keys.handoffs_waiting(desk), 0, -1)]
        return [h for h in (self.get(i) for i in ids) if h is not None]

    def order(self, desk: str) -> dict[str, int]:
        """Every handoff id in the desk's queue with its place (1 first), without reading documents."""
        ids = self._redis.zrange(redis_keys.handoffs_waiting(desk), 0, -1)
        return {i.decode(): place for place, i in enumerate(ids, 1)}

    def position(self, handoff: Handoff) -> int | None:
        """1 for the first in line; None when not waiting."""
        rank = self._redis.zrank(redis_keys.handoffs_waiting(handoff.desk), handoff.handoff_id)
        return None if rank is None else int(rank) + 1

    def claimed(self, desk: str) -> list[Handoff]:
        """The handoffs people of the desk hold now."""
        ids = sorted(i.decode() for i in self._redis.smembers(redis_keys.handoffs_claimed(desk)))
        return [h for h in (self.get(i) for i in ids) if h is not None]

    def asked_since(self, since: datetime) -> list[Handoff]:
        """Every handoff asked at or after ``since`` (for figures), oldest first; read
        :data:`READ_BATCH` documents per round trip (a quarter's figures read tens of thousands)."""
        ids = self._redis.zrangebyscore(redis_keys.handoffs_by_time(), since.timestamp(), "+inf")
        found = []
        for start in range(0, len(ids), READ_BATCH):
            batch = [redis_keys.handoff(i.decode()) for i in ids[start : start + READ_BATCH]]
            found += [Handoff.from_json(raw) for raw in self._redis.mget(batch) if raw]
        return found

    def forget_before(self, moment: datetime, desks: Iterable[str]) -> int:
        """Drop every handoff asked before ``moment`` (retention): its document, its place in a queue or
        among the held, the conversation's pointer to it and its entry in the time index; how many went.

        A document Redis already expired leaves no desk to look in, so its id is taken out of every one
        of ``desks``' queues (a stale id there would push the citizens behind it one place back).
        """
        index = redis_keys.handoffs_by_time()
        ids = [i.decode() for i in self._redis.zrangebyscore(index, "-inf", f"({moment.timestamp()}")]
        every_desk = list(desks)
        for handoff_id in ids:
            found = self.get(handoff_id)
            pipe = self._redis.pipeline()
            pipe.delete(redis_keys.handoff(handoff_id))
            for desk in {found.desk} if found is not None else every_desk:
                pipe.zrem(redis_keys.handoffs_waiting(desk), handoff_id)
                pipe.srem(redis_keys.handoffs_claimed(desk), handoff_id)
            if found is not None:
                pointer = redis_keys.handoff_of_conversation(found.conversation_id)
                if self._redis.get(pointer) == handoff_id.encode():
                    pipe.delete(pointer)
            pipe.zrem(index, handoff_id)
            pipe.execute()
        return len(ids)
