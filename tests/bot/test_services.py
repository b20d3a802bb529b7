"""The composition root: built without any I/O, one shared instance per process, wired to the stores."""

from __future__ import annotations

import pytest
import redis
import sqlalchemy.exc

from bot import redis_keys
from bot.fanout.notices import Broadcast
from bot.services import Services, shared, use
from bot.settings import load_settings


def test_building_the_services_connects_to_nothing_until_used() -> None:
    nowhere = {"REDIS_URL": "redis://127.0.0.1:1/0", "DATABASE_URL": "postgresql://x@127.0.0.1:1/x"}
    services = Services(load_settings(nowhere))  # nothing listens there
    alerts, subscriptions, keys = services.alerts, services.subscriptions, services.api_keys
    assert alerts is services.alerts and subscriptions is services.subscriptions  # built once
    with pytest.raises(sqlalchemy.exc.OperationalError):
        keys.authenticate("bz_abc_secret")
    with pytest.raises(redis.ConnectionError):
        services.fan_out.progress(Broadcast.alert("a"))


def test_locale_falls_back_to_the_default_language() -> None:
    services = Services(load_settings({}))
    assert services.locale("fr").code == "fr"
    assert services.locale("de").code == services.catalogues().languages.default


def test_one_shared_instance_which_tests_may_replace() -> None:
    mine = Services(load_settings({}))
    try:
        use(mine)
        assert shared() is mine
        use(None)
        rebuilt = shared()
        assert rebuilt is not mine and rebuilt is shared()
    finally:
        use(None)


def test_a_concern_notice_is_queued_once_per_change(services: Services) -> None:
    services.queue_concern_notice("K7P2QX", "telegram:42", 1)
    services.queue_concern_notice("K7P2QX", "telegram:42", 1)  # the same outbox entry relayed again
    services.queue_concern_notice("K7P2QX", "telegram:42", 2)
    entries = services.redis.xrange(redis_keys.deliveries())
    assert [(f[b"a"], f[b"k"], f[b"c"], f[b"s"]) for _, f in entries] == [
        (b"K7P2QX", b"concern", b"1", b"telegram:42"),
        (b"K7P2QX", b"concern", b"2", b"telegram:42"),
    ]
