"""The attacks of issue 14 replayed against the running stack: the fixtures of tests/e2e/."""

from tests.e2e.conftest import citizen, stack, telegram_api  # noqa: F401 - fixtures used by the tests here
