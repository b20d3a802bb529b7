"""The unanswered questions log against a real Redis: counted, redacted, grouped, forgotten in time."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import redis

from bot.insights.unanswered import UnansweredLog, grouped

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def _log(client: redis.Redis[bytes]) -> UnansweredLog:
    return UnansweredLog(client, lambda text: text.replace("0712 345 678", "[PHONE]"))


def test_every_turn_is_counted_and_only_unanswered_ones_are_kept_redacted(
    redis_client: redis.Redis[bytes],
) -> None:
    log = _log(redis_client)
    log.record(language="sw", channel="telegram", reason="", text="ada ya pasipoti", at=NOW)
    log.record(language="sw", channel="telegram", reason="out_of_scope", text="nani atashinda ligi?", at=NOW)
    log.record(language="en", channel="sms", reason="no_answer", text="call me on 0712 345 678", at=NOW)
    kept = log.entries(NOW - timedelta(days=1), NOW)
    assert [(e.language, e.reason, e.text) for e in kept] == [
        ("en", "no_answer", "call me on [PHONE]"),
        ("sw", "out_of_scope", "nani atashinda ligi?"),
    ] or {(e.language, e.text) for e in kept} == {
        ("en", "call me on [PHONE]"),
        ("sw", "nani atashinda ligi?"),
    }
    assert "0712" not in str(redis_client.zrange("baraza:insights:unanswered", 0, -1))
    assert [e.language for e in log.entries(NOW - timedelta(days=1), NOW, language="sw")] == ["sw"]
    rows = log.understood(date(2026, 12, 1), date(2026, 12, 1))
    assert {(r["language"], r["turns"], r["unanswered"], r["understood"]) for r in rows} == {
        ("sw", 2, 1, 0.5),
        ("en", 1, 1, 0.0),
    }


def test_similar_wordings_make_one_group_the_largest_first(redis_client: redis.Redis[bytes]) -> None:
    log = _log(redis_client)
    for minute, text in enumerate(
        [
            "who won the football match",
            "who won the football match?",
            "Who won the football match yesterday",
            "what is the capital of australia",
        ]
    ):
        log.record(
            language="en",
            channel="rest",
            reason="out_of_scope",
            text=text,
            at=NOW + timedelta(minutes=minute),
        )
    groups = grouped(log.entries(NOW - timedelta(days=1), NOW + timedelta(hours=1)))
    assert [g.count for g in groups] == [3, 1]
    assert "football" in groups[0].example and groups[1].example == "what is the capital of australia"
    assert groups[0].languages == ("en",) and groups[0].reasons == ("out_of_scope",)


def test_questions_older_than_the_retention_are_forgotten(redis_client: redis.Redis[bytes]) -> None:
    log = _log(redis_client)
    log.record(
        language="fr", channel="rest", reason="not_understood", text="vieux", at=NOW - timedelta(days=91)
    )
    log.record(language="fr", channel="rest", reason="not_understood", text="récent", at=NOW)
    assert log.forget_before(NOW - timedelta(days=90)) == 1
    assert [e.text for e in log.entries(NOW - timedelta(days=400), NOW)] == ["récent"]
