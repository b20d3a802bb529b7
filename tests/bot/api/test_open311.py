"""Open311 GeoReport v2, checked against the specification's own example requests and responses."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree
from sanic.request import RequestParameters

from bot.api.open311 import _query, _resource
from bot.auth.keys import ApiKeyStore
from bot.catalogue.concern_routing import CATEGORIES
from bot.concerns.model import ConcernFilter
from bot.open311.requests import RequestRefused
from tests.bot.api.conftest import Api

SPEC = Path(__file__).parents[2] / "data" / "open311"
FORM = "application/x-www-form-urlencoded; charset=utf-8"
W3 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")


def spec_xml(name: str) -> etree._Element:
    return etree.fromstring((SPEC / name).read_bytes(), etree.XMLParser(resolve_entities=False))


def tags(element: etree._Element) -> list[str]:
    return [child.tag for child in element]


def xml(reply_body: bytes) -> etree._Element:
    assert reply_body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return etree.fromstring(reply_body, etree.XMLParser(resolve_entities=False))


def example_post(key: str, service_code: str = "roads_transport") -> bytes:
    """The specification's example POST, with our key and one of our service codes."""
    body = (SPEC / "post_request.txt").read_text().strip()
    return (
        body.replace("api_key=xyz", f"api_key={key}")
        .replace("service_code=001", f"service_code={service_code}")
        .encode()
    )


def file_health_request(api_server: Api, keys: dict[str, str]) -> str:
    """The specification's example POST, as a health report from a reporter key; its reference."""
    filed = api_server.call(
        "POST",
        "/open311/v2/requests.json",
        body=example_post(keys["health/reporter"], "health"),
        content_type=FORM,
    ).json()
    return str(filed[0]["service_request_id"])


def test_service_list_has_the_specified_shape_in_both_formats(api_server: Api) -> None:
    reply = api_server.call("GET", "/open311/v2/services.xml")
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/xml")
    services = xml(reply.body)
    example = spec_xml("services.xml")
    assert services.tag == example.tag
    assert [s.findtext("service_code") for s in services] == list(CATEGORIES)
    for service in services:
        assert sorted(tags(service)) == sorted(tags(example[0]))
        assert service.findtext("metadata") == "true" and service.findtext("type") == "realtime"
    as_json = api_server.call("GET", "/open311/v2/services.json?locale=es").json()
    assert sorted(as_json[0]) == sorted(tags(example[0]))
    water = next(s for s in as_json if s["service_code"] == "water_sanitation")
    assert water["service_name"] == "Agua y saneamiento" and water["metadata"] is True
    assert "Water and sanitation" in water["keywords"]  # every language's name helps clients search


def test_service_definition_has_the_specified_shape(api_server: Api) -> None:
    definition = xml(api_server.call("GET", "/open311/v2/services/health.xml").body)
    example = spec_xml("service_definition.xml")
    assert tags(definition) == tags(example)
    attributes = definition.find("attributes")
    assert attributes is not None
    for attribute in attributes:
        assert tags(attribute) == tags(example.find("attributes/attribute"))  # type: ignore[arg-type]
        assert [tags(v) for v in attribute.find("values")] == [["key", "name"]] * len(
            attribute.find("values")
        )  # type: ignore[arg-type]
    codes = [a.findtext("code") for a in attributes]
    assert codes == ["region", "contact_consent"]
    missing = api_server.call("GET", "/open311/v2/services/potholes.json")
    assert missing.status == 404 and missing.json()[0]["code"] == 404


def test_the_specification_example_post_files_a_concern(api_server: Api, keys: dict[str, str]) -> None:
    reply = api_server.call(
        "POST", "/open311/v2/requests.xml", body=example_post(keys["health/reporter"]), content_type=FORM
    )
    assert reply.status == 200, reply.body
    created = xml(reply.body)
    example = spec_xml("post_response.xml")
    assert created.tag == example.tag and tags(created[0]) == tags(example[0])
    ticket = created[0].findtext("service_request_id") or ""
    assert re.fullmatch(r"[A-Z0-9]{6}", ticket)
    notice = created[0].findtext("service_notice") or ""
    assert "Ministry of Roads and Transport" in notice and ticket in notice

    # The ministry it went to sees the report, and the contact details the citizen gave with it
    own = api_server.call("GET", f"/api/v1/concerns/{ticket}", keys["health/analyst"]).json()
    assert own["ministry"] == "transport" and own["channel"] == "open311" and own["language"] == "en"
    assert own["description"] == "A large sinkhole is destroying the street"
    assert own["place"] == "1234 5th street" and own["original"] is None
    for personal in ("smit333", "111111111", "john"):
        assert personal not in json.dumps(own)


def test_contact_details_reach_only_the_owning_ministry(
    api_server: Api, keys: dict[str, str], api_key_store: ApiKeyStore
) -> None:
    from bot.alerts.model import utc_now
    from bot.auth.roles import Role

    transport, _ = api_key_store.create("transport", Role.ADMIN, "transport admin", utc_now())
    ticket = xml(
        api_server.call(
            "POST", "/open311/v2/requests.xml", body=example_post(keys["health/reporter"]), content_type=FORM
        ).body
    )[0].findtext("service_request_id")
    own = api_server.call("GET", f"/api/v1/concerns/{ticket}", transport).json()
    assert own["contact_consent"] is True  # an e-mail and phone were given to be contacted
    assert "john smith · smit333@sfgov.edu · 111111111" in own["original"]
    # The photo the client attached reaches the ministry with the contact details (it may show people)
    assert "media_url: http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg" in own["original"]
    public = api_server.call("GET", f"/open311/v2/requests/{ticket}.json").json()[0]
    assert public["media_url"] is None and "flickr" not in json.dumps(public)


def test_reading_requests_follows_the_specification(api_server: Api, keys: dict[str, str]) -> None:
    query = (SPEC / "requests_query.txt").read_text().strip()
    old = api_server.call("GET", f"/open311/v2/requests.xml?{query}")
    assert old.status == 200 and xml(old.body).tag == "service_requests" and len(xml(old.body)) == 0

    ticket = file_health_request(api_server, keys)
    public = xml(api_server.call("GET", f"/open311/v2/requests/{ticket}.xml").body)
    example = spec_xml("requests.xml")
    assert public.tag == example.tag and tags(public[0]) == tags(example[0])
    request = public[0]
    assert request.findtext("status") == "open" and request.findtext("service_code") == "health"
    assert request.findtext("agency_responsible") == "Ministry of Health"
    assert W3.match(request.findtext("requested_datetime") or "")
    assert request.findtext("description") == "" and "1234" not in (request.findtext("address") or "")

    # A ministry closes it with a note: an Open311 client sees "closed" and the note
    moved = api_server.call(
        "POST",
        f"/api/v1/concerns/{ticket}/status",
        keys["health/author"],
        {"status": "resolved", "note": "Filled in."},
    )
    assert moved.status == 200, moved.body
    listed = api_server.call("GET", f"/open311/v2/requests.json?service_request_id={ticket},ZZZZZZ").json()
    assert [(r["service_request_id"], r["status"], r["status_notes"]) for r in listed] == [
        (ticket, "closed", "Filled in.")
    ]
    closed = api_server.call("GET", "/open311/v2/requests.json?status=closed&service_code=health").json()
    assert ticket in [r["service_request_id"] for r in closed]
    still_open = api_server.call("GET", "/open311/v2/requests.json?status=open").json()
    assert ticket not in [r["service_request_id"] for r in still_open]
    # With a key that may see it, the redacted text comes along
    analyst = api_server.call("GET", f"/open311/v2/requests/{ticket}.json", keys["meteo/analyst"]).json()
    assert analyst[0]["description"] == "A large sinkhole is destroying the street"


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        (("api_key=", "api_key=nope&x="), 403, "invalid api_key"),
        (("service_code=roads_transport", "service_code=potholes"), 404, "not found"),
        (("service_code=roads_transport", "service_code="), 400, "service_code is required"),
        (
            ("lat=37.76524078&long=-122.4212043&address_string=1234+5th+street&", ""),
            400,
            "location is required",
        ),
        (("lat=37.76524078", "lat=97"), 400, "lat must be between"),
        (("description=A+large", "description=&x=A+large"), 400, "description is required"),
        (("media_url=http%3A%2F%2F", "media_url=javascript%3Aalert(1)%2F%2F"), 400, "media_url must be"),
    ],
)
def test_bad_requests_get_open311_errors_and_store_nothing(
    api_server: Api, keys: dict[str, str], change: tuple[str, str], status: int, message: str
) -> None:
    before = len(api_server.call("GET", "/open311/v2/requests.json").json())
    body = example_post(keys["health/reporter"]).decode().replace(*change)
    reply = api_server.call("POST", "/open311/v2/requests.xml", body=body.encode(), content_type=FORM)
    assert reply.status == status, reply.body
    error = xml(reply.body)
    assert tags(error) == ["error"] and tags(error[0]) == ["code", "description"]
    assert error[0].findtext("code") == str(status) and message in (error[0].findtext("description") or "")
    assert len(api_server.call("GET", "/open311/v2/requests.json").json()) == before


def test_only_reporter_and_admin_keys_file_and_reporters_read_nothing_else(
    api_server: Api, keys: dict[str, str]
) -> None:
    body = example_post(keys["health/reporter"]).decode()
    no_key = api_server.call(
        "POST",
        "/open311/v2/requests.json",
        body=re.sub(r"api_key=[^&]*&", "", body).encode(),
        content_type=FORM,
    )
    assert no_key.status == 403 and "api_key is required" in no_key.json()[0]["description"]
    for role, allowed in (("analyst", False), ("author", False), ("admin", True), ("reporter", True)):
        reply = api_server.call(
            "POST", "/open311/v2/requests.json", body=example_post(keys[f"health/{role}"]), content_type=FORM
        )
        assert (reply.status == 200) is allowed, (role, reply.body)
    # A reporter key is no way into the ministry API
    assert api_server.call("GET", "/api/v1/concerns", keys["health/reporter"]).status == 403
    assert api_server.call("GET", "/open311/v2/requests.json", key="bz_nothere_secret").status == 403


def test_query_limits_and_unknown_resources(api_server: Api) -> None:
    too_long = api_server.call(
        "GET", "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z"
    )
    assert too_long.status == 400 and "90 days" in too_long.json()[0]["description"]
    assert api_server.call("GET", "/open311/v2/requests.json?start_date=yesterday").status == 400
    assert api_server.call("GET", "/open311/v2/requests.json?status=pending").status == 400
    assert api_server.call("GET", "/open311/v2/requests/ZZZZZZ.json").status == 404
    assert api_server.call("GET", "/open311/v2/services.yaml").status == 404
    assert api_server.call("GET", "/open311/v2/tokens.xml").status == 404


def test_a_request_in_swahili_is_answered_in_swahili_and_routed_by_its_place(
    api_server: Api, keys: dict[str, str]
) -> None:
    body = (
        f"api_key={keys['health/reporter']}&service_code=water_sanitation&address_string=Ziwani"
        "&description=Hakuna+maji+safi+kijijini+kwetu+kwa+wiki+mbili+sasa"
    )
    filed = api_server.call("POST", "/open311/v2/requests.json", body=body.encode(), content_type=FORM)
    assert filed.status == 200, filed.body
    notice = filed.json()[0]["service_notice"]
    assert notice.startswith("Imetumwa kwa Wizara ya Maji")
    ticket = filed.json()[0]["service_request_id"]
    stored = api_server.call("GET", f"/api/v1/concerns/{ticket}", keys["meteo/analyst"]).json()
    assert (stored["language"], stored["region"]) == ("sw", "lakes")


def test_the_public_reads_a_ministrys_note_redacted(api_server: Api, keys: dict[str, str]) -> None:
    ticket = file_health_request(api_server, keys)
    note = "A nurse will call you on 0712 345 678 tomorrow."
    moved = api_server.call(
        "POST",
        f"/api/v1/concerns/{ticket}/status",
        keys["health/author"],
        {"status": "in_progress", "note": note},
    )
    assert moved.status == 200, moved.body
    public = api_server.call("GET", f"/open311/v2/requests/{ticket}.json").json()[0]
    assert "0712" not in public["status_notes"] and "A nurse will call you on" in public["status_notes"]
    own = api_server.call("GET", f"/open311/v2/requests/{ticket}.json", keys["health/author"]).json()[0]
    assert own["status_notes"] == note


def test_a_retried_post_answers_the_first_ticket_and_files_once(
    api_server: Api, keys: dict[str, str]
) -> None:
    """A client whose POST timed out sends it again: the citizen's report must not be filed twice."""
    before = len(api_server.call("GET", "/open311/v2/requests.json").json())
    body = example_post(keys["health/reporter"])
    first = api_server.call("POST", "/open311/v2/requests.json", body=body, content_type=FORM).json()
    again = api_server.call("POST", "/open311/v2/requests.json", body=body, content_type=FORM).json()
    assert again == first
    assert len(api_server.call("GET", "/open311/v2/requests.json").json()) == before + 1
    # Another report (other words), or the same words from another client, is a new concern
    other_words = body.replace(b"destroying", b"swallowing")
    second = api_server.call("POST", "/open311/v2/requests.json", body=other_words, content_type=FORM).json()
    other_client = example_post(keys["health/admin"])
    third = api_server.call("POST", "/open311/v2/requests.json", body=other_client, content_type=FORM).json()
    tickets = {reply[0]["service_request_id"] for reply in (first, second, third)}
    assert len(tickets) == 3
    assert len(api_server.call("GET", "/open311/v2/requests.json").json()) == before + 3


def test_identical_posts_at_once_file_one_concern(api_server: Api, keys: dict[str, str]) -> None:
    body = example_post(keys["health/reporter"]).replace(b"destroying", b"flooding")
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(
            pool.map(
                lambda _: api_server.call("POST", "/open311/v2/requests.json", body=body, content_type=FORM),
                range(8),
            )
        )
    assert {reply.status for reply in replies} == {200}
    assert len({reply.json()[0]["service_request_id"] for reply in replies}) == 1


def test_a_refused_post_can_be_sent_again_once_corrected(api_server: Api, keys: dict[str, str]) -> None:
    body = example_post(keys["health/reporter"]).decode()
    no_place = re.sub(r"&(lat|long|address_string)=[^&]*", "", body).encode()
    assert (
        api_server.call("POST", "/open311/v2/requests.json", body=no_place, content_type=FORM).status == 400
    )
    # The same refused POST is refused again (nothing was remembered as filed)...
    assert (
        api_server.call("POST", "/open311/v2/requests.json", body=no_place, content_type=FORM).status == 400
    )
    # ...and the corrected one files
    assert (
        api_server.call("POST", "/open311/v2/requests.json", body=body.encode(), content_type=FORM).status
        == 200
    )


def _query_of(**values: str) -> ConcernFilter:
    now = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
    return _query(SimpleNamespace(args=RequestParameters({k: [v] for k, v in values.items()})), now)  # type: ignore[arg-type]


def test_the_requests_query_is_read_as_the_specification_says() -> None:
    now = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
    default = _query_of()
    assert (default.since, default.until) == (now - timedelta(days=90), now)  # the last 90 days
    by_id = _query_of(service_request_id=" k7p2qx,ZZZ999 ", service_code="gossip")
    assert by_id.tickets == ("K7P2QX", "ZZZ999")  # ids override every other filter
    chosen = _query_of(
        service_code="health,water_sanitation", status="closed", start_date="2026-11-01T00:00:00"
    )
    assert chosen.categories == ("health", "water_sanitation")
    assert chosen.statuses and set(chosen.statuses) <= {"resolved", "closed"}
    assert chosen.since == datetime(2026, 11, 1, tzinfo=timezone.utc)  # no zone given: UTC


@pytest.mark.parametrize(
    "values,status,description",
    [
        ({"service_code": "gossip"}, 400, "unknown service_code 'gossip'"),
        ({"status": "pending"}, 400, "status must be open or closed"),
        (
            {"start_date": "2026-11-28T00:00:00Z", "end_date": "2026-11-01T00:00:00Z"},
            400,
            "end_date is before",
        ),
        ({"start_date": "2026-01-01T00:00:00Z"}, 400, "may span at most 90 days"),
        ({"end_date": "soon"}, 400, "end_date must be a w3 date-time"),
        ({"service_request_id": ",".join(["K7P2QX"] * 101)}, 400, "at most 100 service_request_id"),
    ],
)
def test_a_query_the_specification_does_not_allow_is_refused(
    values: dict[str, str], status: int, description: str
) -> None:
    with pytest.raises(RequestRefused, match=description) as refused:
        _query_of(**values)
    assert refused.value.status == status


def test_resources_end_in_their_format() -> None:
    assert _resource("services.xml") == ("services", "xml")
    assert _resource("K7P2QX.json") == ("K7P2QX", "json")
    for bad in ("services", "services.html", "../etc.xml", "x" * 41 + ".xml"):
        with pytest.raises(RequestRefused, match=r"end in \.xml or \.json"):
            _resource(bad)
