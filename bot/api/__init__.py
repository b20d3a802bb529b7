"""The ministry and analyst HTTP API (``/api/v1``) and the public alert feeds, as Sanic blueprints."""
