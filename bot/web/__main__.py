"""``python -m bot.web``: serve the citizen web app."""

from bot.settings import load_settings
from bot.web.app import create_app


def main() -> None:
    """Run the app with one worker (scale out with more processes behind a proxy)."""
    settings = load_settings()
    create_app(settings).run(host=settings.web_host, port=settings.web_port, access_log=False)


if __name__ == "__main__":
    main()
