""" "Delete my data" in the chat, run in memory against the real test Redis and a SQLite store."""

from __future__ import annotations

from actions.confirm import ActionConfirm
from actions.privacy import ActionDeleteMyData
from bot.alerts.model import utc_now
from bot.catalogue.bundle import Catalogues
from bot.concerns.service import ConcernService
from bot.fanout.notices import NoticeKind
from bot.fanout.pushed import Claim
from bot.services import Services
from tests.actions.conftest import make_tracker, run_action, slot_events


def test_delete_my_data_asks_then_forgets(
    concern_service: ConcernService, services: Services, catalogues: Catalogues
) -> None:
    from bot.concerns.model import NewConcern
    from bot.subscriptions.forget import forget_due

    services.subscriptions.subscribe("rest:test", "coast", (), "en", utc_now())
    concern = concern_service.file(
        NewConcern(
            "health", "The clinic has no medicine at all.", "coast", "", "en", "rest", "rest:test", True
        )
    )
    services.redis.set("barazatracker:tracker:test", "{}")
    pushed = Claim("test", "al_1:alert:telegram:test", NoticeKind.ALERT, "al_1")
    services.pushed_notices.claim_many([pushed])  # an alert sent straight through the channel
    messages, events = run_action(ActionDeleteMyData(), make_tracker("delete my data", "delete_my_data"))
    assert messages[0]["text"] == catalogues.locales["en"].text("delete_data_confirm")
    pending = slot_events(events)["pending"]
    messages, _ = run_action(ActionConfirm(), make_tracker("yes", "affirm", slots={"pending": pending}))
    assert messages[0]["text"] == catalogues.locales["en"].text("delete_data_done")
    assert services.subscriptions.get("rest:test") is None
    assert concern_service.store.get(concern.ticket).original is None
    assert forget_due(services.redis) == []  # not yet: Rasa saves the current turn first
    assert forget_due(services.redis, now=utc_now().timestamp() + 60) == ["test"]
    assert services.redis.get("barazatracker:tracker:test") is None
    assert services.pushed_notices.latest("test", frozenset({NoticeKind.ALERT})) is None
