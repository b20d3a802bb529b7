"""The ministry API over HTTP: JSON and CAP in, JSON and CAP out, every error a clear 4xx."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from lxml import etree

from bot.alerts.cap import MEDIA_TYPE, parse_cap
from bot.alerts.model import utc_now
from bot.api.alerts import _is_cap, _json_body, _wants_cap
from bot.api.errors import ApiError, InvalidInput
from bot.auth.keys import ApiKeyStore
from bot.auth.roles import Role
from tests.bot.api.conftest import Api
from tests.bot.api.test_authorization import _alert_body
from tests.conftest import CAP_SAMPLES

CAP_DIR = CAP_SAMPLES


def test_one_person_with_two_keys_cannot_approve_their_own_alert(
    api_server: Api, keys: dict[str, str], api_key_store: ApiKeyStore
) -> None:
    store = api_key_store
    laptop, _ = store.create("health", Role.AUTHOR, "A. Mwangi", utc_now(), person="MOH-42")
    phone, phone_info = store.create("health", Role.APPROVER, "A. Mwangi", utc_now(), person="MOH-42")
    created = api_server.call("POST", "/api/v1/alerts", laptop, _alert_body())
    assert created.status == 201 and created.json()["status"] == "pending_approval"
    alert_id = created.json()["id"]
    refused = api_server.call("POST", f"/api/v1/alerts/{alert_id}/approve", phone)
    assert refused.status == 403 and "second person" in refused.json()["error"]
    approved = api_server.call("POST", f"/api/v1/alerts/{alert_id}/approve", keys["health/approver2"])
    assert approved.status == 200
    audit = approved.json()
    assert audit["submitted_by_person"] == "MOH-42" and audit["approved_by_person"] != "MOH-42"
    assert audit["history"][0]["person"] == "MOH-42"
    assert phone_info.key_id not in {h["actor"] for h in audit["history"]}


def test_second_approval_flow_and_self_approval_refused(api_server: Api, keys: dict[str, str]) -> None:
    created = api_server.call("POST", "/api/v1/alerts", keys["health/approver"], _alert_body())
    assert created.status == 201
    body = created.json()
    assert (body["status"], body["ministry"], body["alert"]["topics"]) == (
        "pending_approval",
        "health",
        ["health"],
    )
    alert_id = body["id"]
    refused = api_server.call("POST", f"/api/v1/alerts/{alert_id}/approve", keys["health/approver"])
    assert refused.status == 403 and "you submitted" in refused.json()["error"]
    approved = api_server.call("POST", f"/api/v1/alerts/{alert_id}/approve", keys["health/approver2"])
    assert approved.status == 200 and approved.json()["status"] == "sending"
    again = api_server.call("POST", f"/api/v1/alerts/{alert_id}/approve", keys["health/approver2"])
    assert again.status == 409 and "cannot approve an alert that is sending" in again.json()["error"]
    listed = api_server.call("GET", "/api/v1/alerts?status=sending", keys["health/author"]).json()
    assert [a["id"] for a in listed["alerts"]] == [alert_id]
    progress = api_server.call("GET", f"/api/v1/alerts/{alert_id}/progress", keys["health/analyst"]).json()
    assert progress["status"] == "sending" and set(progress["deliveries"]) >= {"sent", "failed", "remaining"}


@pytest.mark.parametrize(
    ("body", "content_type", "status", "named"),
    [
        (b"", "application/json", 422, "empty"),
        (b"{not json", "application/json", 400, "not valid JSON"),
        (b"<x/>", "text/plain", 415, "application/json or application/cap+xml"),
        (
            {**_alert_body(), "regions": ["atlantis"]},
            "application/json",
            422,
            "regions: unknown ['atlantis']",
        ),
        (
            {**_alert_body(), "severity": "Apocalyptic"},
            "application/json",
            422,
            "severity: 'Apocalyptic' is not one of",
        ),
        (
            {k: v for k, v in _alert_body().items() if k != "texts"},
            "application/json",
            422,
            "'texts' is a required property",
        ),
        (
            {**_alert_body(), "texts": {"de": {"headline": "x", "description": "y", "instruction": ""}}},
            "application/json",
            422,
            "unsupported languages ['de']",
        ),
        (
            {
                **_alert_body(),
                "texts": {"en": {"headline": "x" * 161, "description": "y", "instruction": ""}},
            },
            "application/json",
            422,
            "texts.en.headline",
        ),
        ({**_alert_body(), "expires": "2001-01-01T00:00:00Z"}, "application/json", 422, "already be over"),
        (
            {**_alert_body(), "mystery": 1},
            "application/json",
            422,
            "Additional properties are not allowed ('mystery'",
        ),
        (["a", "list"], "application/json", 422, "is not of type 'object'"),
        (b"<alert", MEDIA_TYPE, 422, "not well-formed XML"),
    ],
)
def test_bad_input_gets_a_4xx_naming_the_problem(
    api_server: Api, keys: dict[str, str], body: object, content_type: str, status: int, named: str
) -> None:
    reply = api_server.call("POST", "/api/v1/alerts", keys["meteo/author"], body, content_type=content_type)
    assert reply.status == status, reply.body
    assert named in reply.json()["error"]
    assert api_server.call("GET", "/api/v1/alerts", keys["meteo/author"]).json()["alerts"] == []


def test_oversized_body_is_refused(api_server: Api, keys: dict[str, str]) -> None:
    reply = api_server.call("POST", "/api/v1/alerts", keys["meteo/author"], b"{" + b" " * 1_100_000 + b"}")
    assert reply.status == 413


@pytest.mark.parametrize("name", ["invalid.cap", "sweden.cap", "invalid_xmlns.cap"])
def test_invalid_cap_files_are_rejected(api_server: Api, keys: dict[str, str], name: str) -> None:
    reply = api_server.call(
        "POST", "/api/v1/alerts", keys["meteo/author"], (CAP_DIR / name).read_bytes(), content_type=MEDIA_TYPE
    )
    assert reply.status == 422
    assert "CAP 1.2" in reply.json()["error"] or "namespace" in reply.json()["error"]


def test_real_cap_from_elsewhere_is_refused_for_what_it_is(api_server: Api, keys: dict[str, str]) -> None:
    reply = api_server.call(
        "POST",
        "/api/v1/alerts",
        keys["meteo/author"],
        (CAP_DIR / "iceland_met_office.cap").read_bytes(),
        content_type=MEDIA_TYPE,
    )
    assert (
        reply.status == 403
        and "this key's ministry sends as 'alerts@meteo.kalima.example'" in reply.json()["error"]
    )


def _kalima_cap(identifier: str, msg_type: str = "Alert", references: str = "") -> bytes:
    refs = f"<references>{references}</references>" if references else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier><sender>alerts@meteo.kalima.example</sender>
  <sent>2026-11-28T08:00:00+03:00</sent><status>Actual</status><msgType>{msg_type}</msgType><scope>Public</scope>{refs}
  <info><language>en-KL</language><category>Met</category><event>Flood</event><urgency>Immediate</urgency>
    <severity>Severe</severity><certainty>Observed</certainty><expires>2099-01-01T00:00:00+03:00</expires>
    <headline>Flood warning</headline>
    <description>The river burst its banks.</description><instruction>Move uphill.</instruction>
    <area><areaDesc>Coast</areaDesc><geocode><valueName>KL-REGION</valueName><value>KL-02</value></geocode></area></info>
  <info><language>fr</language><category>Met</category><event>Crue</event><urgency>Immediate</urgency>
    <severity>Severe</severity><certainty>Observed</certainty><expires>2099-01-01T00:00:00+03:00</expires>
    <headline>Alerte crue</headline>
    <description>Le fleuve a débordé.</description><instruction>Montez.</instruction>
    <area><areaDesc>Région de la Côte</areaDesc></area></info>
</alert>""".encode()


def test_cap_in_cap_out_and_the_public_feeds(api_server: Api, keys: dict[str, str]) -> None:
    reply = api_server.call(
        "POST", "/api/v1/alerts", keys["meteo/author"], _kalima_cap("KL-MET-1"), content_type=MEDIA_TYPE
    )
    assert reply.status == 201, reply.body
    record = reply.json()
    assert (record["status"], record["alert"]["regions"], sorted(record["alert"]["texts"])) == (
        "sending",
        ["coast"],
        ["en", "fr"],
    )
    duplicate = api_server.call(
        "POST", "/api/v1/alerts", keys["meteo/author"], _kalima_cap("KL-MET-1"), content_type=MEDIA_TYPE
    )
    assert duplicate.status == 409
    as_cap = api_server.call(
        "GET", f"/api/v1/alerts/{record['id']}", keys["meteo/analyst"], accept=MEDIA_TYPE
    )
    assert as_cap.headers["content-type"].startswith(MEDIA_TYPE)
    assert parse_cap(as_cap.body).identifier == "KL-MET-1"
    # Public: Atom lists it with a link to its CAP message; drafts never appear.
    api_server.call("POST", "/api/v1/alerts?draft=true", keys["meteo/author"], _alert_body())
    feed = api_server.call("GET", "/feeds/alerts.atom?lang=fr")
    assert feed.status == 200
    atom = etree.fromstring(feed.body)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [t.text for t in atom.findall("a:entry/a:title", ns)] == ["Alerte crue"]
    link = atom.find("a:entry/a:link", ns).get("href")
    public_cap = api_server.call("GET", link.replace(api_server.base, ""))
    assert public_cap.status == 200 and parse_cap(public_cap.body).infos[1].headline == "Alerte crue"
    # An update references the original; a cancel (CAP) withdraws it from the feed.
    update = api_server.call(
        "POST",
        "/api/v1/alerts",
        keys["meteo/author"],
        _kalima_cap("KL-MET-2", "Update", "alerts@meteo.kalima.example,KL-MET-1,2026-11-28T08:00:00+03:00"),
        content_type=MEDIA_TYPE,
    )
    assert update.status == 201 and update.json()["alert"]["references"] == [record["id"]]
    cancel = api_server.call(
        "POST",
        "/api/v1/alerts",
        keys["meteo/author"],
        _kalima_cap("KL-MET-3", "Cancel", "alerts@meteo.kalima.example,KL-MET-2,2026-11-28T08:00:00+03:00"),
        content_type=MEDIA_TYPE,
    )
    assert cancel.status == 201 and cancel.json()["status"] == "cancelled"
    assert api_server.call("GET", f"/feeds/alerts/{update.json()['id']}.cap").status == 404


def test_the_status_filter_applies_before_the_page_is_cut(api_server: Api, keys: dict[str, str]) -> None:
    """Three alerts awaiting approval, then four newer drafts: pages of two awaiting approval are full."""
    author = keys["health/author"]
    pending = [
        api_server.call("POST", "/api/v1/alerts", author, _alert_body()).json()["id"] for _ in range(3)
    ]
    for _ in range(4):
        assert api_server.call("POST", "/api/v1/alerts?draft=true", author, _alert_body()).status == 201
    first = api_server.call("GET", "/api/v1/alerts?status=pending_approval&limit=2", author).json()
    assert [a["id"] for a in first["alerts"]] == pending[::-1][:2]
    assert first["next_before"] is not None
    path = f"/api/v1/alerts?status=pending_approval&limit=2&before={first['next_before']}"
    second = api_server.call("GET", path, author).json()
    assert [a["id"] for a in second["alerts"]] == pending[:1]
    assert second["next_before"] is None
    unknown = api_server.call("GET", "/api/v1/alerts?status=finished", author)
    assert unknown.status == 422 and "status must be one of" in unknown.json()["error"]


def test_a_cancellation_body_is_checked_against_its_schema(api_server: Api, keys: dict[str, str]) -> None:
    author = keys["health/author"]
    alert_id = api_server.call("POST", "/api/v1/alerts?draft=true", author, _alert_body()).json()["id"]
    path = f"/api/v1/alerts/{alert_id}/cancel"
    too_long = api_server.call("POST", path, author, {"note": "x" * 501})
    assert too_long.status == 422 and "note" in too_long.json()["error"]
    unknown = api_server.call("POST", path, author, {"reason": "duplicate"})
    assert unknown.status == 422 and "Additional properties" in unknown.json()["error"]
    assert api_server.call("GET", f"/api/v1/alerts/{alert_id}", author).json()["status"] == "draft"
    cancelled = api_server.call("POST", path, author, {"note": "Sent by mistake."})
    assert cancelled.status == 200 and cancelled.json()["status"] == "cancelled"


def _request(content_type: str | None = None, body: bytes = b"", accept: str = "") -> Any:
    return SimpleNamespace(content_type=content_type, body=body, headers={"accept": accept} if accept else {})


def test_cap_is_recognised_by_its_media_type_in_and_out() -> None:
    for kind in (MEDIA_TYPE, f"{MEDIA_TYPE}; charset=utf-8", "application/xml", "Text/XML"):
        assert _is_cap(_request(kind))
    assert not _is_cap(_request("application/json")) and not _is_cap(_request(None))
    assert _wants_cap(_request(accept=f"{MEDIA_TYPE}, application/json;q=0.5"))
    assert not _wants_cap(_request(accept="application/json")) and not _wants_cap(_request())


def test_a_json_body_is_read_or_refused_naming_the_problem() -> None:
    assert _json_body(_request("application/json; charset=utf-8", b'{"severity": "Minor"}')) == {
        "severity": "Minor"
    }
    with pytest.raises(ApiError, match="not text/plain") as refused:
        _json_body(_request("text/plain", b"{}"))
    assert refused.value.status == 415
    with pytest.raises(ApiError, match="not no content type"):
        _json_body(_request(None, b"{}"))
    with pytest.raises(InvalidInput, match="the request body is empty"):
        _json_body(_request("application/json"))
    with pytest.raises(ApiError, match="the body is not valid JSON") as refused:
        _json_body(_request("application/json", b"{severity"))
    assert refused.value.status == 400
