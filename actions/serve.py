"""Run the action server: language models loaded first, Rasa's token required, loopback by default.

``python -m actions.serve`` takes rasa-sdk's own arguments. Loading the language identifier (lingua
and the second-opinion detectors, about 1.5 s) here rather than on the first message keeps the first
answer after a start or restart as fast as the others.

rasa-sdk checks nothing: whoever reaches its port can post a made-up tracker and have actions
subscribe or forget anyone. So every request but ``/health`` must carry the shared token
(``ACTION_SERVER_TOKEN``) that Rasa sends from ``endpoints.yml`` (header ``X-Action-Token``), and the
server listens on ``BARAZA_ACTION_SERVER_HOST`` (127.0.0.1 unless set, e.g. in a container).
"""

from __future__ import annotations

import hmac
import logging
import sys

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app as create_sdk_app
from rasa_sdk.endpoint import create_argument_parser
from sanic import Sanic, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.services import shared

logger = logging.getLogger(__name__)
TOKEN_HEADER = "X-Action-Token"  # noqa: S105 - a header name, not a secret
#: Largest request body the action server reads (a long conversation's tracker is a few hundred kB).
MAX_BODY_BYTES = 16_000_000


async def _too_large(_: Request, error: PayloadTooLarge) -> HTTPResponse:
    return response.json({"error": str(error)}, status=413)


def create_app(actions: str) -> Sanic:
    """rasa-sdk's app, with the body limit (413, where rasa-sdk's own handler answers any error 500)."""
    app: Sanic = create_sdk_app(actions, cors_origins=None)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.exception(PayloadTooLarge)(_too_large)  # type: ignore[no-untyped-call]
    return app


def require_token(app: Sanic, token: str) -> None:
    """Refuse (403) every request except ``GET /health`` without the shared token."""
    expected = token.encode()

    @app.on_request
    async def check_token(request: Request) -> HTTPResponse | None:
        if request.path == "/health":
            return None
        presented = str(request.headers.get(TOKEN_HEADER, "")).encode()
        if not hmac.compare_digest(presented, expected):
            logger.warning("refused an action server request without the right token")
            return response.json({"error": "forbidden"}, status=403)
        return None


def main() -> None:
    """Load the language identifier, then serve."""
    settings = shared().settings
    if not settings.action_server_token:
        print(
            "ACTION_SERVER_TOKEN must be set: Rasa proves itself to the action server with it",
            file=sys.stderr,
        )
        sys.exit(2)
    args = create_argument_parser().parse_args()
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
        args.log_file,
        args.loglevel,
        args.logging_config_file,
    )
    utils.update_sanic_log_level()
    _ = shared().language_identifier  # building it loads the models
    app = create_app(args.actions)
    require_token(app, settings.action_server_token)
    logger.info("action server listening on %s:%s", settings.action_server_host, args.port)
    app.run(settings.action_server_host, args.port, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main()
