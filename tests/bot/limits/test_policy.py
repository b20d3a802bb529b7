"""The limits file: every bucket named, read into rates; bucket keys never hold the address itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.limits.policy import NAMES, bucket, load_limits, told
from bot.settings import PROJECT_ROOT
from bot.yaml_files import DataFileError

TICKET_SPACE = 31**6


def test_the_shipped_limits_make_enumerating_tickets_take_years() -> None:
    limits = load_limits(PROJECT_ROOT / "config" / "limits.yml")
    years = TICKET_SPACE / limits.ticket_lookups_all.per_second / (365 * 24 * 3600)
    assert years > 1
    assert limits.lockout_floor < 0


def test_a_missing_limit_is_named(tmp_path: Path) -> None:
    path = tmp_path / "limits.yml"
    path.write_text("messages_per_conversation: {per_second: 1, burst: 5}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="messages_per_address"):
        load_limits(path)
    assert len(NAMES) == 7


def test_bucket_keys_hold_a_digest_not_the_address() -> None:
    key = bucket("api_per_address", "203.0.113.5")
    assert "203.0.113.5" not in key and key.startswith("baraza:limit:api_per_address:")
    assert bucket("ticket_lookups_all").endswith(":all")
    assert "+254700000001" not in told("sms:+254700000001")
