"""Who may call what: every route, every role, no key, another ministry's key."""

from __future__ import annotations

import functools
import re
from datetime import timedelta

import pytest
import redis

from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.handoff.model import Trigger
from bot.handoff.service import HandoffService
from bot.handoff.store import HandoffStore
from bot.settings import load_settings
from bot.web.app import create_app
from tests.bot.api.conftest import Api

#: Routes anyone may call: the citizen page and its files, health, the public feeds, the API document.
#: Open311 routes have their own rules (anyone reads, a reporter key files): see test_open311.py.
#: Routes without a ministry key: the pages, public feeds, Open311 (its own api_key), and the chat
#: history, which the citizen's page opens with its session's secret (tests/bot/web/test_history.py).
PUBLIC = re.compile(
    r"^/($|static|health|feeds/|open311/|openapi\.json$|console$|dashboard$|inbox$|chat/history$)"
)
#: The agents' inbox: only agent keys open it (and nothing else).
INBOX = "/api/v1/handoffs"
WRITE = "POST"


@functools.lru_cache(maxsize=1)
def _routes() -> list[tuple[str, str]]:
    app = create_app(load_settings({}), name="route_listing")
    routes = set()
    for route in app.router.routes:
        path = "/" + route.path.lstrip("/")
        for method in route.methods:
            if method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                routes.add((method, path))
    return sorted(routes)


def _alert_body() -> dict[str, object]:
    return {
        "severity": "Severe",
        "category": "Health",
        "regions": ["coast"],
        "expires_in_hours": 6,
        "texts": {
            "en": {"headline": "Cholera", "description": "Cases rising.", "instruction": "Boil water."}
        },
    }


def _fill(path: str, alert_id: str, ticket: str = "ZZZ999") -> str:
    return re.sub(r"<[^>]+>", ticket if "/concerns/" in path else alert_id, path)


def test_every_route_requires_a_key_except_public_ones(api_server: Api, keys: dict[str, str]) -> None:
    private = [(m, p) for m, p in _routes() if not PUBLIC.match(p)]
    assert private, "no API routes found"
    assert all(p.startswith("/api/v1/") for _, p in private)
    for method, path in private:
        for key in (None, "bz_nothere_secret", "not-even-a-key"):
            reply = api_server.call(
                method, _fill(path, "al_x"), key=key, body={} if method == WRITE else None
            )
            assert reply.status == 401, (method, path, key, reply.body)
            assert "error" in reply.json() and reply.headers.get("www-authenticate", "").startswith("Bearer")


def test_reporter_keys_open_nothing_in_the_ministry_api(
    api_server: Api, keys: dict[str, str], health_concern: str
) -> None:
    for method, path in _routes():
        if PUBLIC.match(path):
            continue
        reply = api_server.call(
            method,
            _fill(path, "al_x", health_concern),
            keys["health/reporter"],
            body={} if method == WRITE else None,
        )
        assert reply.status == 403, (method, path, reply.body)


@pytest.mark.parametrize("role", ["author", "approver", "admin", "analyst"])
def test_authorisation_matrix(api_server: Api, keys: dict[str, str], role: str, health_concern: str) -> None:
    created = api_server.call("POST", "/api/v1/alerts?draft=true", keys["health/author"], _alert_body())
    assert created.status == 201, created.body
    alert_id = created.json()["id"]
    for method, path in _routes():
        if PUBLIC.match(path) or "<" not in path or path.startswith(INBOX):
            continue
        url = _fill(path, alert_id, health_concern)
        # Another ministry: reads only as an analyst; never writes.
        other = api_server.call(method, url, keys[f"meteo/{role}"], body={} if method == WRITE else None)
        if method == "GET" and role == "analyst":
            assert other.status == 200, (path, other.body)
        else:
            assert other.status == 403, (method, path, role, other.body)
        # Own ministry: analysts read but never write; others pass authorisation (the move may be refused).
        body = {"status": "in_progress"} if path.endswith("status") else None
        body = _alert_body() if path.endswith("update") else body
        own = api_server.call(method, url, keys[f"health/{role}"], body=body)
        if method == "GET":
            assert own.status == 200, (path, own.body)
        elif role == "analyst":
            assert own.status == 403, (path, own.body)
        else:
            assert own.status not in (401, 403) or "approve" in path, (method, path, role, own.body)
    create = api_server.call("POST", "/api/v1/alerts", keys[f"health/{role}"], _alert_body())
    assert create.status == (403 if role == "analyst" else 201), create.body


#: Routes only analysts may call: they span every ministry and channel (conversation insights, the
#: handoffs to a person and their CSV).
ANALYSTS_ONLY = re.compile(r"^/api/v1/insights/")


def test_analyst_only_routes_refuse_every_other_role(api_server: Api, keys: dict[str, str]) -> None:
    routes = [(m, p) for m, p in _routes() if ANALYSTS_ONLY.match(p)]
    assert {("GET", "/api/v1/insights/handoffs"), ("GET", "/api/v1/insights/handoffs.csv")} <= set(routes)
    for method, path in routes:
        for ministry in ("health", "meteo"):
            for role in Role:
                reply = api_server.call(method, path, keys[f"{ministry}/{role.value}"])
                expected = 200 if role is Role.ANALYST else 403
                assert reply.status == expected, (method, path, ministry, role, reply.body)


# The agents' inbox ------------------------------------------------------------------------------


def _handoff(api_redis: redis.Redis[bytes], conversation: str, topic: str) -> str:
    """A citizen waiting at the desk of ``topic`` (health -> health_line, flood -> disaster_desk)."""
    from bot.catalogue.bundle import load_catalogues
    from bot.handoff.desks import load_desks
    from bot.settings import PROJECT_ROOT

    config = PROJECT_ROOT / "config"
    desks = load_desks(config, set(load_catalogues(config).ministries.ministries))
    service = HandoffService(HandoffStore(api_redis), lambda: desks, utc_now, timedelta(days=1))
    return service.ask(conversation, "rest", "en", Trigger.ASKED, topic=topic).handoff.handoff_id


def _inbox_body(path: str) -> dict[str, str] | None:
    return {
        "reply": {"text": "Hello"},
        "transfer": {"desk": "citizen_services", "note": "n"},
        "end": {"reason": "resolved"},
    }.get(path.rsplit("/", 1)[-1])


def _inbox_routes() -> list[tuple[str, str]]:
    return [(m, p) for m, p in _routes() if p.startswith(INBOX)]


def test_only_agent_keys_open_the_inbox(
    api_server: Api, keys: dict[str, str], api_redis: redis.Redis[bytes]
) -> None:
    waiting = _handoff(api_redis, "rest:matrix-1", "health")
    assert _inbox_routes(), "no inbox routes found"
    for role in Role:
        if role is Role.AGENT:
            continue
        for method, path in _inbox_routes():
            url = re.sub(r"<[^>]+>", waiting, path)
            reply = api_server.call(method, url, keys[f"health/{role.value}"], body=_inbox_body(path))
            assert reply.status == 403, (method, path, role, reply.body)
            assert "agent" in reply.json()["error"]


def test_agent_keys_open_nothing_else(api_server: Api, keys: dict[str, str], health_concern: str) -> None:
    for method, path in _routes():
        if PUBLIC.match(path) or path.startswith(INBOX):
            continue
        url = _fill(path, "al_x", health_concern)
        reply = api_server.call(method, url, keys["health/agent"], body={} if method == WRITE else None)
        assert reply.status == 403, (method, path, reply.body)
        assert reply.json()["error"] == "an agent key opens only the handoff inbox (/api/v1/handoffs)"


def test_an_agent_sees_only_the_handoffs_of_their_desks(
    api_server: Api, keys: dict[str, str], api_redis: redis.Redis[bytes]
) -> None:
    health = _handoff(api_redis, "rest:matrix-health", "health")
    flood = _handoff(api_redis, "rest:matrix-flood", "flood")
    for agent, own, other in (("health/agent", health, flood), ("meteo/agent", flood, health)):
        queues = api_server.call("GET", INBOX, keys[agent]).json()
        assert [h["id"] for h in queues["waiting"]] == [own], agent
        for method, path in _inbox_routes():
            if "<" not in path:
                continue
            url = re.sub(r"<[^>]+>", other, path)
            reply = api_server.call(method, url, keys[agent], body=_inbox_body(path))
            assert reply.status == 403, (agent, method, path, reply.body)
    assert api_server.call("GET", f"{INBOX}?desk=disaster_desk", keys["health/agent"]).status == 403
    # Own desk: every route passes authorisation (reading the conversation needs Rasa: 503 here), in
    # the order of a conversation: read, claim, reply, end (then a transfer is too late: 409).
    acts = ("claim", "reply", "end", "transfer")
    ordered = sorted(
        _inbox_routes(), key=lambda r: (r[0], acts.index(r[1].rsplit("/", 1)[-1]) if r[0] == WRITE else 0)
    )
    for method, path in ordered:
        if path.endswith("/events"):
            continue  # a stream: tests/bot/api/test_handoffs.py reads it
        url = re.sub(r"<[^>]+>", health, path)
        reply = api_server.call(method, url, keys["health/agent"], body=_inbox_body(path))
        assert reply.status not in (401, 403), (method, path, reply.body)


def test_a_second_agents_claim_is_refused(
    api_server: Api, keys: dict[str, str], api_redis: redis.Redis[bytes]
) -> None:
    waiting = _handoff(api_redis, "rest:matrix-claim", "health")
    first = api_server.call("POST", f"{INBOX}/{waiting}/claim", keys["health/agent"])
    assert first.status == 200 and first.json()["mine"] is True
    second = api_server.call("POST", f"{INBOX}/{waiting}/claim", keys["health/agent2"])
    assert second.status == 409 and "error" in second.json(), second.body
    for act in ("reply", "transfer", "end"):  # only the holder writes, moves or ends it
        reply = api_server.call("POST", f"{INBOX}/{waiting}/{act}", keys["health/agent2"], _inbox_body(act))
        assert reply.status == 403, (act, reply.body)
    seen = api_server.call("GET", f"{INBOX}/{waiting}", keys["health/agent2"]).json()
    assert seen["status"] == "claimed" and seen["mine"] is False and seen["agent"] == "health-agent"
