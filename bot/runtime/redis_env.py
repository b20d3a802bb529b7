"""The environment variables ``endpoints.yml`` reads, derived from one ``REDIS_URL`` and the
conversation retention."""

from __future__ import annotations

from urllib.parse import unquote, urlparse


def redis_endpoint_env(redis_url: str) -> dict[str, str]:
    """REDIS_HOST/PORT/DB/PASSWORD for Rasa's Redis tracker and lock stores."""
    parsed = urlparse(redis_url)
    if parsed.scheme not in ("redis", "rediss"):
        raise ValueError(f"REDIS_URL must start with redis:// or rediss://, got {redis_url!r}")
    db = (parsed.path or "/0").strip("/") or "0"
    if not db.isdigit():
        raise ValueError(f"REDIS_URL database must be a number, got {db!r}")
    return {
        "REDIS_HOST": parsed.hostname or "127.0.0.1",
        "REDIS_PORT": str(parsed.port or 6379),
        "REDIS_DB": db,
        "REDIS_PASSWORD": unquote(parsed.password or ""),
    }


def tracker_expiry_env(retention_days: int) -> dict[str, str]:
    """TRACKER_EXPIRY_SECONDS: the expiry Rasa's Redis tracker store gives a conversation at every save,
    from its creation on (``record_exp``), so each one goes ``retention_days`` after its last message."""
    return {"TRACKER_EXPIRY_SECONDS": str(max(1, retention_days) * 86400)}
