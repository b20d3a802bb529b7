"""The review of one alert: what the console shows before it offers a move, and which moves."""

from __future__ import annotations

from bot.alerts.lifecycle import Status
from bot.api.alert_review import review_json
from bot.auth.roles import Actor, Role
from bot.services import Services
from tests.bot.alerts.test_service import make_alert
from tests.bot.api.conftest import Api
from tests.bot.api.test_authorization import _alert_body


def _review(api: Api, key: str, alert_id: str) -> dict[str, object]:
    reply = api.call("GET", f"/api/v1/alerts/{alert_id}/review", key)
    assert reply.status == 200, reply.body
    body: dict[str, object] = reply.json()
    return body


def test_review_gives_every_text_the_citizens_messages_and_the_keys_moves(
    api_server: Api, keys: dict[str, str]
) -> None:
    body = _alert_body()
    body["texts"] = {
        "en": {"headline": "Cholera", "description": "Cases rising.", "instruction": "Boil water."},
        "fr": {
            "headline": "Choléra",
            "description": "Les cas augmentent.",
            "instruction": "Faites bouillir.",
        },
    }
    draft = api_server.call("POST", "/api/v1/alerts", keys["health/author"], {**body, "draft": True}).json()
    review = _review(api_server, keys["health/author"], draft["id"])
    assert review["moves"] == ["submit", "cancel"] and review["live"] is False
    assert review["alert"]["alert"]["texts"]["fr"]["headline"] == "Choléra"  # type: ignore[index]
    messages = review["messages"]
    assert isinstance(messages, dict) and set(messages) == {"en", "fr", "es", "ar", "pt", "sw"}
    assert "Choléra" in messages["fr"] and "Cholera" in messages["sw"]  # Swahili falls back to English

    submitted = api_server.call("POST", f"/api/v1/alerts/{draft['id']}/submit", keys["health/author"])
    assert submitted.json()["status"] == "pending_approval"
    assert _review(api_server, keys["health/author"], draft["id"])["moves"] == ["cancel"]  # no approve
    assert _review(api_server, keys["health/approver"], draft["id"])["moves"] == ["approve", "cancel"]
    assert _review(api_server, keys["health/analyst"], draft["id"])["moves"] == []

    own = api_server.call("POST", "/api/v1/alerts", keys["health/approver"], body).json()
    assert _review(api_server, keys["health/approver"], own["id"])["moves"] == ["cancel"]
    assert _review(api_server, keys["health/approver2"], own["id"])["moves"] == ["approve", "cancel"]


def test_review_of_another_ministrys_alert_is_refused(api_server: Api, keys: dict[str, str]) -> None:
    created = api_server.call("POST", "/api/v1/alerts", keys["health/author"], _alert_body()).json()
    reply = api_server.call("GET", f"/api/v1/alerts/{created['id']}/review", keys["meteo/author"])
    assert reply.status == 403
    missing = api_server.call("GET", "/api/v1/alerts/al_nothere/review", keys["meteo/author"])
    assert missing.status == 404


def test_a_live_alert_is_offered_cancel_and_its_delivery(services: Services) -> None:
    author = Actor("m-author", "meteo", Role.AUTHOR)
    record = services.alerts.create(author, make_alert(services, headline="Floods on the coast"))
    assert record.status is Status.SENDING  # meteo needs no second approval
    review = review_json(services.alerts, services.catalogues(), author, record)
    assert (review["moves"], review["live"]) == (["cancel"], True)
    assert "Floods on the coast" in review["messages"]["ar"]  # Arabic falls back to the English text
