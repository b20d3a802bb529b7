"""The web app (Sanic): the citizen chat page, the ministry console, the analyst dashboard, and the
ministry API, Open311 and public feeds (blueprints from :mod:`bot.api`) with health checks."""
