"""The attacks of issue 14 replayed against the running stack of tests/e2e (the same processes: the
fixtures share one registry in tests/e2e/conftest.py, so the stack starts once per session)."""

from __future__ import annotations

from tests.e2e.conftest import browser, citizen, stack, telegram_api

__all__ = ["browser", "citizen", "stack", "telegram_api"]
