"""The concerns API: each ministry its own, analysts all and redacted, status changes audited."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any

import pytest
from sanic.request import RequestParameters

from bot.api.concerns import concern_json, filters_from
from bot.api.errors import InvalidInput
from bot.auth.roles import Actor, Role
from bot.catalogue.bundle import Catalogues
from bot.concerns.model import Concern, ConcernStatus
from tests.bot.api.conftest import Api


def test_owner_sees_original_analyst_sees_redacted(
    api_server: Api, keys: dict[str, str], health_concern: str
) -> None:
    own = api_server.call("GET", f"/api/v1/concerns/{health_concern}", keys["health/author"]).json()
    assert own["ministry"] == "health" and "0712 345 678" in own["original"]
    assert "0712 345 678" not in own["description"] and "[phone]" in own["description"]
    analyst = api_server.call("GET", f"/api/v1/concerns/{health_concern}", keys["meteo/analyst"]).json()
    assert analyst["original"] is None and analyst["description"] == own["description"]
    assert api_server.call("GET", f"/api/v1/concerns/{health_concern}", keys["meteo/admin"]).status == 403


def test_analysts_read_the_ministry_note_redacted_everywhere(
    api_server: Api, keys: dict[str, str], health_concern: str
) -> None:
    note = "We will call you on 0712 345 678 tomorrow."
    path = f"/api/v1/concerns/{health_concern}"
    moved = api_server.call(
        "POST", f"{path}/status", keys["health/author"], {"status": "in_progress", "note": note}
    )
    assert moved.status == 200 and moved.json()["public_note"] == note  # the ministry that wrote it
    analyst = keys["meteo/analyst"]
    one = api_server.call("GET", path, analyst)
    assert one.headers["cache-control"] == "no-store"
    read = one.json()
    assert "0712 345 678" not in read["public_note"] and "[phone]" in read["public_note"]
    assert all("0712 345 678" not in h["note"] for h in read["history"])
    listed = api_server.call("GET", "/api/v1/concerns?q=medicine", analyst).json()["concerns"]
    assert all("0712" not in c["public_note"] for c in listed)
    csv = api_server.call("GET", "/api/v1/concerns/export.csv", analyst)
    assert health_concern in csv.body.decode() and b"0712 345 678" not in csv.body
    open311 = api_server.call("GET", f"/open311/v2/requests/{health_concern}.json?api_key={analyst}")
    assert open311.status == 200 and "0712" not in open311.json()[0]["status_notes"]
    assert open311.headers["cache-control"] == "no-store"
    own = api_server.call("GET", path, keys["health/author"]).json()
    assert own["public_note"] == note


def test_list_is_held_to_the_keys_ministry(
    api_server: Api, keys: dict[str, str], health_concern: str
) -> None:
    mine = api_server.call("GET", "/api/v1/concerns?category=health", keys["health/approver"]).json()
    assert health_concern in [c["ticket"] for c in mine["concerns"]]
    assert api_server.call("GET", "/api/v1/concerns", keys["meteo/author"]).json()["concerns"] == []
    assert api_server.call("GET", "/api/v1/concerns?ministry=health", keys["meteo/author"]).status == 403
    everyone = api_server.call("GET", "/api/v1/concerns?q=medicine", keys["meteo/analyst"]).json()
    assert health_concern in [c["ticket"] for c in everyone["concerns"]]
    bad = api_server.call("GET", "/api/v1/concerns?status=lost", keys["meteo/analyst"])
    assert bad.status == 422 and "status must be one of" in bad.json()["error"]


def test_status_change_is_audited_and_checked(
    api_server: Api, keys: dict[str, str], health_concern: str
) -> None:
    path = f"/api/v1/concerns/{health_concern}/status"
    moved = api_server.call(
        "POST", path, keys["health/author"], {"status": "in_progress", "note": "A nurse was sent."}
    )
    assert moved.status == 200 and moved.json()["public_note"] == "A nurse was sent."
    refused = api_server.call("POST", path, keys["health/author"], {"status": "received"})
    assert refused.status == 409 and "cannot go from in_progress to received" in refused.json()["error"]
    assert api_server.call("POST", path, keys["health/analyst"], {"status": "resolved"}).status == 403
    assert api_server.call("POST", path, keys["meteo/admin"], {"status": "resolved"}).status == 403
    assert api_server.call("POST", path, keys["health/author"], {"status": "done"}).status == 422
    history = api_server.call("GET", f"/api/v1/concerns/{health_concern}", keys["health/author"]).json()[
        "history"
    ]
    assert [(h["from"], h["to"], h["note"]) for h in history] == [
        (None, "received", ""),
        ("received", "in_progress", "A nurse was sent."),
    ]
    assert history[1]["actor"] != "citizen"


def test_stats_rising_terms_and_formula_safe_export(
    api_server: Api, keys: dict[str, str], api_database: str, catalogues: Catalogues
) -> None:
    import csv
    import io

    from bot.alerts.model import utc_now
    from bot.concerns.database import make_engine
    from bot.concerns.model import NewConcern
    from bot.concerns.service import ConcernService
    from bot.concerns.store import ConcernStore

    service = ConcernService(ConcernStore(make_engine(api_database)), lambda: catalogues, utc_now)

    def water(text: str) -> NewConcern:
        return NewConcern("water_sanitation", text, "lakes", "", "en", "rest", "", False)

    for n in range(4):
        service.file(water(f"Please, a report: cholera fears, latrines overflowing in Ziwani ({n})"))
    attack = service.file(water('=HYPERLINK("http://evil.example","click") pumps broken'))
    stats = api_server.call(
        "GET", "/api/v1/concerns/stats?period=week&category=water_sanitation", keys["meteo/analyst"]
    ).json()
    [week] = stats["series"]
    assert week["by_category"]["water_sanitation"] >= 5 and week["by_region"]["lakes"] >= 5
    [leading] = stats["breakdown"]["by_category"]  # filtered to one topic
    assert leading["key"] == "water_sanitation" and leading["total"] == leading["recent"] >= 5
    assert leading["previous"] == 0 and stats["breakdown"]["by_region"][0]["key"] == "lakes"
    rising = api_server.call("GET", "/api/v1/concerns/rising", keys["meteo/analyst"]).json()
    assert {"cholera", "latrines"} <= {t["term"] for t in rising["terms"]}
    assert not {"please", "report"} & {t["term"] for t in rising["terms"]}  # stop-words
    assert rising["min_count"] == 3
    export = api_server.call(
        "GET", "/api/v1/concerns/export.csv?category=water_sanitation", keys["meteo/analyst"]
    )
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.body.decode())))
    cell = next(r["description"] for r in rows if r["ticket"] == attack.ticket)
    assert cell.startswith("'=HYPERLINK")  # shown as text by spreadsheets, never run
    assert api_server.call("GET", "/api/v1/concerns/stats?period=year", keys["meteo/analyst"]).status == 422


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"status": "resolved", "note": "x" * 1001}, "note: at most 1000 characters"),
        ({"status": "resolved", "note": 42}, "note: 42 is not of type 'string'"),
        ({"status": "resolved", "assignee": "me"}, "Additional properties are not allowed"),
        (["resolved"], "is not of type 'object'"),
    ],
)
def test_a_status_change_body_is_checked_against_its_schema(
    api_server: Api, keys: dict[str, str], health_concern: str, body: object, named: str
) -> None:
    path = f"/api/v1/concerns/{health_concern}/status"
    reply = api_server.call("POST", path, keys["health/author"], body)
    assert reply.status == 422 and named in reply.json()["error"]
    concern = api_server.call("GET", f"/api/v1/concerns/{health_concern}", keys["health/author"]).json()
    assert concern["status"] == "received"  # nothing changed


def _concern() -> Concern:
    now = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
    return Concern(
        "K7P2QX", "health", "health", "lakes", "Ziwani", "en", "rest", "No medicine. Call [phone].",
        "No medicine. Call 0712 345 678.", True, ConcernStatus.RECEIVED, "", now, now,
    )  # fmt: skip


def test_only_the_owning_ministry_gets_the_original_text() -> None:
    concern = _concern()
    owner = concern_json(concern, Actor("k1", "health", Role.AUTHOR))
    assert owner["original"] == "No medicine. Call 0712 345 678." and owner["contact_consent"] is True
    for reader in (Actor("k2", "health", Role.ANALYST), Actor("k3", "water", Role.ADMIN)):
        seen = concern_json(concern, reader)
        assert seen["original"] is None and seen["description"] == "No medicine. Call [phone]."


def _args(**values: str) -> Any:
    return SimpleNamespace(args=RequestParameters({k: [v] for k, v in values.items()}))


def test_list_filters_are_read_from_the_query_and_checked() -> None:
    filters = filters_from(
        _args(category="health", status="received", since="2026-11-01T00:00:00Z", q="x" * 300)
    )
    assert (filters.category, filters.status) == ("health", "received")
    assert filters.since == datetime(2026, 11, 1, tzinfo=timezone.utc) and filters.until is None
    assert filters.text == "x" * 100  # searches are cut short
    assert filters_from(_args(q="")).text is None
    with pytest.raises(InvalidInput, match="category must be one of"):
        filters_from(_args(category="gossip"))
    with pytest.raises(InvalidInput, match="status must be one of"):
        filters_from(_args(status="done"))
    with pytest.raises(InvalidInput, match="until: not an ISO 8601 date: 'yesterday'"):
        filters_from(_args(until="yesterday"))
