"""Only analysts read the insights; the CSV never runs as a spreadsheet formula."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import redis

from bot.auth.roles import Actor, Role
from bot.insights.service import InsightService, InsightsForbidden
from bot.insights.unanswered import UnansweredLog

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
ANALYST = Actor("k1", "health", Role.ANALYST)


def _service(client: redis.Redis[bytes]) -> InsightService:
    log = UnansweredLog(client, lambda text: text)
    log.record(language="en", channel="rest", reason="out_of_scope", text='=HYPERLINK("x")', at=NOW)
    return InsightService(log, lambda: NOW)


@pytest.mark.parametrize("role", [Role.AUTHOR, Role.APPROVER, Role.ADMIN, Role.REPORTER])
def test_only_analysts_read_the_insights(redis_client: redis.Redis[bytes], role: Role) -> None:
    service = _service(redis_client)
    for read in (service.unanswered, service.unanswered_csv, service.understood):
        with pytest.raises(InsightsForbidden):
            read(Actor("k2", "health", role), 30)


def test_analysts_read_groups_shares_and_a_formula_safe_csv(redis_client: redis.Redis[bytes]) -> None:
    service = _service(redis_client)
    groups, total = service.unanswered(ANALYST, 30)
    assert total == 1 and groups[0].example == '=HYPERLINK("x")'
    csv_text = service.unanswered_csv(ANALYST, 30)
    assert "'=HYPERLINK" in csv_text  # quoted: a spreadsheet shows it as text
    assert service.understood(ANALYST, 1) == [
        {"day": "2026-12-01", "language": "en", "turns": 1, "unanswered": 1, "understood": 0.0}
    ]
