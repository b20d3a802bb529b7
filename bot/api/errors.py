"""Every error the API returns: a 4xx (or 503) with a JSON body whose message names the problem."""

from __future__ import annotations

import logging

import redis
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import DBAPIError

from bot.alerts.cap import CapError
from bot.alerts.lifecycle import TransitionError
from bot.alerts.record import AlertNotFound, DuplicateAlert
from bot.auth.roles import Forbidden
from bot.concerns.model import ConcernNotFound, StatusChangeRefused
from bot.open311.document import FORMATS, errors

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error with its HTTP status, raised by views."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class InvalidInput(ApiError):
    """The request body does not match what the route expects (422)."""

    def __init__(self, message: str) -> None:
        super().__init__(422, message)


class TooFast(Exception):
    """A rate limit refused the request (429, with ``Retry-After``)."""

    def __init__(self, retry_after: str, message: str) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.message = message


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> HTTPResponse:
    """The JSON body of every error."""
    return response.json({"error": message, "status": status}, status=status, headers=headers)


def error_document(status: int, description: str, path: str) -> HTTPResponse:
    """A GeoReport error in the format the path asked for (XML unless it ends in .json)."""
    fmt = "json" if path.endswith(".json") else "xml"
    return response.text(errors(status, description, fmt), status=status, content_type=FORMATS[fmt])


#: Domain exceptions -> HTTP status.
STATUS_OF: tuple[tuple[type[Exception], int], ...] = (
    (AlertNotFound, 404),
    (ConcernNotFound, 404),
    (Forbidden, 403),  #: what a key may not do: the services' permission rules
    (TransitionError, 409),
    (StatusChangeRefused, 409),
    (DuplicateAlert, 409),
    (CapError, 422),
)
#: How a missing record of each kind is named in the error.
_NOT_FOUND: dict[type[Exception], str] = {AlertNotFound: "no alert", ConcernNotFound: "no concern"}


def install_error_handlers(app: Sanic) -> None:
    """Turn domain and framework exceptions into JSON errors (only for API and feed routes)."""

    @app.exception(TooFast)  # type: ignore[no-untyped-call]
    async def too_fast(request: Request, error: TooFast) -> HTTPResponse:
        headers = {"Retry-After": error.retry_after}
        if request.path.startswith("/open311/"):
            reply = error_document(429, error.message, request.path)
            reply.headers.update(headers)
            return reply
        return error_response(429, error.message, headers)

    @app.exception(ApiError)  # type: ignore[no-untyped-call]
    async def api_error(_: Request, error: ApiError) -> HTTPResponse:
        return error_response(error.status, error.message, error.headers)

    for exception, status in STATUS_OF:

        def handler(_: Request, error: Exception, status: int = status) -> HTTPResponse:
            message = str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
            prefix = _NOT_FOUND.get(type(error))
            if prefix and " " not in message:
                message = f"{prefix} {message}"
            return error_response(status, message)

        app.exception(exception)(handler)  # type: ignore[no-untyped-call]

    @app.exception(redis.RedisError)  # type: ignore[no-untyped-call]
    async def store_down(_: Request, error: Exception) -> HTTPResponse:
        log.error("Redis unavailable: %s", error)
        return error_response(503, "the alert store is unavailable; nothing was changed, try again shortly")

    @app.exception(DBAPIError)  # type: ignore[no-untyped-call]
    async def database_down(request: Request, error: Exception) -> HTTPResponse:
        log.error("concern database unavailable: %s", error)
        message = "the concern store is unavailable; nothing was stored, try again shortly"
        if request.path.startswith("/open311/"):
            return error_document(503, message, request.path)
        return error_response(503, message)

    @app.exception(SanicException)  # type: ignore[no-untyped-call]
    async def framework(request: Request, error: SanicException) -> HTTPResponse:
        status = int(getattr(error, "status_code", 500) or 500)
        if request.path.startswith("/open311/"):
            return error_document(status, str(error) or "error", request.path)
        return error_response(status, str(error) or "error")

    @app.exception(Exception)  # type: ignore[no-untyped-call]
    async def unexpected(request: Request, error: Exception) -> HTTPResponse:
        # Logged by path only: the query string may hold an ``api_key`` (Open311 allows it there).
        log.error(
            "unexpected %s on %s %s", type(error).__name__, request.method, request.path, exc_info=error
        )
        message = "something went wrong on our side; nothing was changed, try again shortly"
        if request.path.startswith("/open311/"):
            return error_document(500, message, request.path)
        return error_response(500, message)
