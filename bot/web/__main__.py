"""``python -m bot.web``: serve the citizen web app."""

from bot.services import shared
from bot.web.app import create_app


def main() -> None:
    """Run the app with one worker (scale out with more processes behind a proxy)."""
    services = shared()
    settings = services.settings
    create_app(settings, services=services).run(
        host=settings.web_host, port=settings.web_port, access_log=False
    )


if __name__ == "__main__":
    main()
