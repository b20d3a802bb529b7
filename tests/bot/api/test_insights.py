"""``/api/v1/insights`` over HTTP: analysts read the grouped unanswered questions, their CSV and the
share understood; every other role is refused; bad input gets a clear 422."""

from __future__ import annotations

from datetime import datetime, timezone

import redis

from bot.api.insights import create_insights_blueprint
from bot.insights.unanswered import UnansweredLog
from tests.bot.api.conftest import API_REDIS_URL, Api


def _record(texts: list[str]) -> None:
    log = UnansweredLog(redis.Redis.from_url(API_REDIS_URL), lambda text: text)
    for text in texts:
        log.record(
            language="fr", channel="rest", reason="out_of_scope", text=text, at=datetime.now(timezone.utc)
        )


def test_analysts_read_the_unanswered_questions_grouped(api_server: Api, keys: dict[str, str]) -> None:
    _record(["qui a gagné le match hier", "qui a gagné le match hier ?", "quelle est la capitale du Pérou"])
    reply = api_server.call("GET", "/api/v1/insights/unanswered?days=7", keys["meteo/analyst"])
    assert reply.status == 200, reply.body
    body = reply.json()
    assert body["total"] == 3 and [g["count"] for g in body["groups"]] == [2, 1]
    assert body["groups"][0]["languages"] == ["fr"]
    csv = api_server.call("GET", "/api/v1/insights/unanswered.csv?language=fr", keys["meteo/analyst"])
    assert csv.status == 200 and "qui a gagné le match hier" in csv.body.decode()
    shares = api_server.call("GET", "/api/v1/insights/understood?days=1", keys["meteo/analyst"]).json()
    assert {"language": "fr", "turns": 3, "unanswered": 3, "understood": 0.0}.items() <= shares["days"][
        0
    ].items()


def test_other_roles_are_refused_and_bad_input_is_named(api_server: Api, keys: dict[str, str]) -> None:
    for role in ("author", "approver", "admin"):
        for path in ("/api/v1/insights/unanswered", "/api/v1/insights/understood"):
            assert api_server.call("GET", path, keys[f"health/{role}"]).status == 403
    bad = api_server.call("GET", "/api/v1/insights/unanswered?days=0", keys["meteo/analyst"])
    assert bad.status == 422 and "days must be between 1 and 92" in bad.json()["error"]
    assert api_server.call("GET", "/api/v1/insights/unanswered?days=x", keys["meteo/analyst"]).status == 422


def test_every_insights_route_requires_a_key() -> None:
    """The blueprint installs the key check (the HTTP tests above show the role check)."""
    blueprint = create_insights_blueprint(lambda: None)  # type: ignore[arg-type, return-value]
    assert blueprint.url_prefix == "/api/v1/insights" and blueprint._future_middleware
