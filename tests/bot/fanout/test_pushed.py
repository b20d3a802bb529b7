"""The record of what was pushed into each conversation, against the real test Redis."""

from __future__ import annotations

from bot import redis_keys
from bot.fanout.notices import NoticeKind
from bot.fanout.pushed import Claim
from bot.services import Services

ALERTS = frozenset({NoticeKind.ALERT, NoticeKind.CANCEL})


def _claim(conversation: str, alert_id: str, kind: NoticeKind = NoticeKind.ALERT) -> Claim:
    return Claim(conversation, f"{alert_id}:{kind.value}:telegram:{conversation}", kind, alert_id)


def test_a_delivery_is_claimed_once_and_a_released_one_can_be_claimed_again(services: Services) -> None:
    pushed = services.pushed_notices
    first, other = _claim("telegram:1", "al_1"), _claim("telegram:2", "al_1")
    assert pushed.claim_many([first, other]) == [True, True]
    assert pushed.claim_many([first, other]) == [False, False]  # replayed: not to be sent again
    pushed.release_many([first])  # its send failed: the retry must send it
    assert pushed.claim_many([first, other]) == [True, False]


def test_tell_me_more_finds_the_latest_alert_whichever_way_it_came(services: Services) -> None:
    pushed = services.pushed_notices
    assert pushed.latest("telegram:1", ALERTS) is None
    pushed.claim_many([_claim("telegram:1", "al_old")])
    pushed.remember(_claim("telegram:1", "al_new"))  # shown by the conversation itself, later
    pushed.claim_many([Claim("telegram:1", "K7P2QX#1:concern:telegram:1", NoticeKind.CONCERN, "K7P2QX")])
    latest = pushed.latest("telegram:1", ALERTS)
    assert latest is not None and (latest.reference, latest.kind) == ("al_new", NoticeKind.ALERT)
    assert pushed.latest("telegram:2", ALERTS) is None  # another conversation's are not its own


def test_the_record_lasts_as_long_as_a_conversation(services: Services) -> None:
    services.pushed_notices.claim_many([_claim("sms:+254700000001", "al_1")])
    ttl = services.redis.ttl(redis_keys.pushed_notices("sms:+254700000001"))
    assert (
        services.settings.conversation_retention_days * 86400 - 60
        < ttl
        <= (services.settings.conversation_retention_days * 86400)
    )
