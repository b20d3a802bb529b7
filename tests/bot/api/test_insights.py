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


def _seed_handoffs() -> dict[str, str]:
    """Three handoffs of the last hour on the API's Redis: one served and rated, one left waiting, one
    abandoned; their ids by name."""
    from datetime import timedelta

    from bot.catalogue.bundle import load_catalogues
    from bot.handoff.desks import load_desks
    from bot.handoff.model import EndReason, Trigger
    from bot.handoff.service import Agent, HandoffService
    from bot.handoff.store import HandoffStore
    from bot.settings import PROJECT_ROOT

    config = PROJECT_ROOT / "config"
    desks = load_desks(config, set(load_catalogues(config).ministries.ministries))
    at = [datetime.now(timezone.utc) - timedelta(minutes=60)]
    service = HandoffService(
        HandoffStore(redis.Redis.from_url(API_REDIS_URL)), lambda: desks, lambda: at[0], timedelta(days=90)
    )
    hana = Agent("hana", frozenset({"health_line"}))
    ids = {}
    for name, conversation, language in (
        ("served", "sms:+254700000001", "sw"),
        ("waiting", "web:w1", "es"),
        ("left", "telegram:telegram:7", "es"),
    ):
        at[0] += timedelta(minutes=1)
        ticket = service.ask(conversation, "twilio", language, Trigger.ASKED, topic="health")
        ids[name] = ticket.handoff.handoff_id
    at[0] += timedelta(minutes=2)
    service.claim(hana, ids["served"])  # waited 4 minutes
    at[0] += timedelta(minutes=6)
    service.end(hana, ids["served"], EndReason.RESOLVED)
    service.rate(ids["served"], "sms:+254700000001", 4, '=HYPERLINK("http://evil.example")')
    service.leave("telegram:telegram:7")
    return ids


def test_analysts_read_the_handoff_figures_and_their_csv(
    api_server: Api, keys: dict[str, str], api_redis: redis.Redis[bytes]
) -> None:
    ids = _seed_handoffs()
    reply = api_server.call("GET", "/api/v1/insights/handoffs?days=1", keys["meteo/analyst"])
    assert reply.status == 200, reply.body
    body = reply.json()
    overall = body["overall"]
    assert (overall["handoffs"], overall["abandoned"], overall["still_waiting"]) == (3, 1, 1)
    assert overall["waiting"] == {"count": 1, "median": 240.0, "p90": 240.0}
    assert overall["handling"] == {"count": 1, "median": 360.0, "p90": 360.0}
    assert overall["rating_distribution"]["4"] == 1 and overall["rating_mean"] == 4.0
    assert list(body["by_language"]) == ["es", "sw"] and list(body["by_desk"]) == ["health_line"]
    assert body["by_channel"]["twilio"]["handoffs"] == 3

    csv = api_server.call("GET", "/api/v1/insights/handoffs.csv?days=1", keys["meteo/analyst"])
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    text = csv.body.decode()
    lines = text.splitlines()
    assert lines[0].startswith("handoff_id,desk,language,channel,trigger,requested_at")
    assert len(lines) == 4 and {i for i in ids.values() if i in text} == set(ids.values())
    assert "+254700000001" not in text and "telegram:7" not in text and "hana" not in text
    assert "'=HYPERLINK" in text  # the comment cannot run as a formula
    bad = api_server.call("GET", "/api/v1/insights/handoffs?days=93", keys["meteo/analyst"])
    assert bad.status == 422
