"""Every API error is JSON naming the problem, with the status each domain error means."""

from __future__ import annotations

import asyncio
import itertools
import json
from types import SimpleNamespace
from typing import Any

import pytest
import redis
from sanic import Sanic
from sanic.exceptions import NotFound
from sqlalchemy.exc import OperationalError

from bot.alerts.cap import CapError
from bot.alerts.lifecycle import NotAllowed, TransitionError
from bot.alerts.record import AlertNotFound, DuplicateAlert
from bot.api.errors import ApiError, InvalidInput, error_document, install_error_handlers
from bot.concerns.model import ConcernNotFound, StatusChangeRefused

_names = itertools.count()


def _handle(error: Exception, path: str = "/api/v1/alerts") -> tuple[int, Any, str]:
    app = Sanic(f"errors_test_{next(_names)}")
    install_error_handlers(app)
    handler = app.error_handler.lookup(error, None)
    assert handler is not None, type(error)
    reply = handler(SimpleNamespace(path=path), error)
    if asyncio.iscoroutine(reply):
        reply = asyncio.run(reply)
    return reply.status, reply.body, reply.content_type


@pytest.mark.parametrize(
    "error,status,message",
    [
        (AlertNotFound("al_x"), 404, "no alert al_x"),
        (ConcernNotFound("K7P2QX"), 404, "no concern K7P2QX"),
        (
            AlertNotFound("the alert al_x was never received here"),
            404,
            "the alert al_x was never received here",
        ),
        (NotAllowed("the analyst role may not cancel alerts"), 403, "the analyst role may not cancel alerts"),
        (TransitionError("cannot submit an alert that is sent"), 409, "cannot submit an alert that is sent"),
        (StatusChangeRefused("cannot go from closed to received"), 409, "cannot go from closed to received"),
        (DuplicateAlert("already received"), 409, "already received"),
        (CapError("<status> is Exercise"), 422, "<status> is Exercise"),
        (InvalidInput("regions: unknown ['x']"), 422, "regions: unknown ['x']"),
        (ApiError(415, "send the alert as application/json"), 415, "send the alert as application/json"),
        (NotFound("Requested URL /nope not found"), 404, "Requested URL /nope not found"),
    ],
)
def test_domain_errors_become_json_with_their_status(error: Exception, status: int, message: str) -> None:
    got_status, body, content_type = _handle(error)
    assert got_status == status and content_type.startswith("application/json")
    assert json.loads(body) == {"error": message, "status": status}


def test_a_store_that_is_down_is_a_503_saying_nothing_was_changed() -> None:
    status, body, _ = _handle(redis.ConnectionError("refused"))
    assert status == 503 and "nothing was changed" in json.loads(body)["error"]
    database_down = OperationalError("INSERT", {}, Exception("could not connect"))
    status, body, _ = _handle(database_down)
    assert status == 503 and "nothing was stored" in json.loads(body)["error"]
    status, body, content_type = _handle(database_down, path="/open311/v2/requests.xml")
    assert status == 503 and content_type.startswith("text/xml") and b"<code>503</code>" in body


def test_errors_on_open311_paths_follow_the_format_asked_for() -> None:
    as_json = error_document(404, "no such service", "/open311/v2/services/x.json")
    assert as_json.status == 404 and json.loads(as_json.body) == [
        {"code": 404, "description": "no such service"}
    ]
    as_xml = error_document(400, "bad", "/open311/v2/requests.xml")
    assert as_xml.content_type.startswith("text/xml") and b"<description>bad</description>" in as_xml.body


def test_an_api_error_keeps_its_headers() -> None:
    app = Sanic(f"errors_test_{next(_names)}")
    install_error_handlers(app)
    error = ApiError(401, "this API needs a ministry key", {"WWW-Authenticate": 'Bearer realm="baraza"'})
    reply = asyncio.run(app.error_handler.lookup(error, None)(SimpleNamespace(path="/api/v1/me"), error))
    assert reply.status == 401 and reply.headers["WWW-Authenticate"] == 'Bearer realm="baraza"'
