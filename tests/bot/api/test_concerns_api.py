"""The concerns API: each ministry its own, analysts all and redacted, status changes audited."""

from __future__ import annotations

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
