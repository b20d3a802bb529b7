"""Rate limits per channel (shared token buckets in Redis) and the retry policy."""

import time
from pathlib import Path

import redis

from bot.fanout.pacing import ChannelPacer, DeliveryPolicy, RateLimit, RetryPolicy, load_delivery_policy
from bot.settings import PROJECT_ROOT


def test_shipped_limits_follow_the_platforms() -> None:
    policy = load_delivery_policy(PROJECT_ROOT / "config")
    assert policy.rate_limit("telegram") == RateLimit(30, 30)
    assert policy.rate_limit("whatsapp") == RateLimit(80, 80)
    assert policy.rate_limit("null").per_second >= 100_000  # benchmarks must not be throttled
    assert policy.rate_limit("some-new-channel") == policy.rate_limits["default"]


def test_bucket_grants_the_burst_then_refills_at_the_rate(redis_client: "redis.Redis[bytes]") -> None:
    pacer = ChannelPacer(redis_client, DeliveryPolicy({"default": RateLimit(100, 10)}, RetryPolicy()))
    assert pacer.take("sms", 50) == 10  # the burst
    assert pacer.take("sms", 50) == 0
    time.sleep(0.1)  # ~10 tokens at 100/s
    assert 5 <= pacer.take("sms", 50) <= 12
    other = ChannelPacer(redis_client, DeliveryPolicy({"default": RateLimit(100, 10)}, RetryPolicy()))
    assert other.take("sms", 50) <= 2  # a second worker shares the same bucket


def test_paced_sending_keeps_to_the_rate(redis_client: "redis.Redis[bytes]") -> None:
    pacer = ChannelPacer(redis_client, DeliveryPolicy({"default": RateLimit(200, 20)}, RetryPolicy()))
    start = time.monotonic()
    pacer.wait_for("telegram", 100)  # 20 at once, 80 more at 200/s: about 0.4 s
    assert 0.3 <= time.monotonic() - start <= 1.5


def test_backoff_doubles_and_is_capped() -> None:
    policy = RetryPolicy(max_attempts=5, backoff_seconds=2, max_backoff_seconds=10)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [2, 4, 8, 10]


def test_an_installation_sets_its_own_limits(tmp_path: Path) -> None:
    """BARAZA_DELIVERY_FILE (a Telegram paid broadcast, a Twilio messaging service)."""
    from bot.services import Services
    from bot.settings import load_settings

    own = tmp_path / "delivery.yml"
    own.write_text(
        "rate_limits:\n  default: {per_second: 5, burst: 5}\n  telegram: {per_second: 1000, burst: 100}\n",
        encoding="utf-8",
    )
    policy = Services(load_settings({"BARAZA_DELIVERY_FILE": str(own)})).delivery_policy
    assert policy.rate_limit("telegram") == RateLimit(1000, 100)
    assert policy.rate_limit("twilio") == RateLimit(5, 5)
    assert Services(load_settings({})).delivery_policy.rate_limit("telegram") == RateLimit(30, 30)


def test_a_pause_lasts_until_a_burst_or_what_is_wanted_can_be_granted(
    redis_client: "redis.Redis[bytes]",
) -> None:
    pacer = ChannelPacer(redis_client, DeliveryPolicy({"default": RateLimit(40, 10)}, RetryPolicy()))
    assert pacer.pause("telegram", 200) == 0.25  # a burst of 10 at 40/s
    assert pacer.pause("telegram", 2) == 0.05
    assert pacer.pause("sms", 10**6) <= 1.0
