"""Run the action server with its language models loaded before the first citizen writes.

``python -m actions.serve`` takes rasa-sdk's own arguments. Loading the language identifier (lingua
and the second-opinion detectors, about 1.5 s) here rather than on the first message keeps the first
answer after a start or restart as fast as the others.
"""

from __future__ import annotations

from typing import Any

import rasa_sdk.endpoint
from rasa_sdk.__main__ import main as rasa_sdk_main
from sanic import Sanic, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.services import shared

#: Largest request body the action server reads (a long conversation's tracker is a few hundred kB).
MAX_BODY_BYTES = 16_000_000
_CREATE_APP = rasa_sdk.endpoint.create_app


async def _too_large(_: Request, error: PayloadTooLarge) -> HTTPResponse:
    return response.json({"error": str(error)}, status=413)


def create_app(*args: Any, **kwargs: Any) -> Sanic:
    """rasa-sdk's app, with the body limit (413, where rasa-sdk's own handler answers any error 500)."""
    app: Sanic = _CREATE_APP(*args, **kwargs)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.exception(PayloadTooLarge)(_too_large)  # type: ignore[no-untyped-call]
    return app


def main() -> None:
    """Load the language identifier, then serve."""
    _ = shared().language_identifier  # building it loads the models
    rasa_sdk.endpoint.create_app = create_app
    rasa_sdk_main()


if __name__ == "__main__":
    main()
