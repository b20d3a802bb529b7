"""Redis must never make room by dropping data: ``maxmemory-policy noeviction``.

Conversations (Rasa's trackers and locks), subscriptions, alerts and the delivery queues all live in
one Redis. Under any other policy a full Redis deletes keys without telling anyone: a citizen's
half-filled form, a subscriber, a queued delivery would just be gone. With ``noeviction`` a full Redis
refuses writes instead (an ``OOM`` error): the citizen is told to try again
(``rasa_addons.store_failure``), deliveries are retried, and the operator sees the errors. The
embedded Redis and docker-compose.yml start Redis with it; the launcher warns at start when the
configured Redis (a managed one, say) runs with another policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from redis.exceptions import RedisError

if TYPE_CHECKING:
    import redis

SAFE_POLICY = "noeviction"
#: Arguments of ``redis-server`` for that policy.
SERVER_ARGUMENTS = ("--maxmemory-policy", SAFE_POLICY)


def eviction_warning(client: redis.Redis[bytes]) -> str | None:
    """Why this Redis could lose data silently, or None (also when it does not say: CONFIG disabled)."""
    try:
        policy = client.config_get("maxmemory-policy").get("maxmemory-policy")
    except RedisError:
        return None
    if isinstance(policy, bytes):
        policy = policy.decode()
    if not policy or policy == SAFE_POLICY:
        return None
    return (
        f"Redis runs with maxmemory-policy {policy}: when its memory is full it deletes keys, i.e. "
        f"conversations, subscriptions and queued deliveries, without a word. Set it to {SAFE_POLICY} "
        "(README, Redis)."
    )
