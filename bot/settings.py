"""Settings, read from the environment in this one place.

Every process (Rasa launcher, action server, web app, tools) builds a :class:`Settings` with
:func:`load_settings`; tests build one directly with the values they need.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Runtime settings of a Baraza process."""

    project_root: Path = PROJECT_ROOT
    #: Redis for trackers, locks, alerts. Empty: the launcher starts an embedded Redis.
    redis_url: str = ""
    #: Where the embedded Redis keeps its data (only used when ``redis_url`` is empty).
    data_dir: Path = PROJECT_ROOT / ".data"
    embedded_redis_port: int = 6390
    #: Ports this machine's Rasa server and action server listen on (several stacks can run side by
    #: side, e.g. replicas or parallel test runs). The URLs below follow them unless set.
    rasa_port: int = 5005
    action_server_port: int = 5055
    rasa_url: str = "http://127.0.0.1:5005"
    #: The Rasa URL a citizen's browser uses for socket.io (may differ behind a proxy).
    rasa_public_url: str = "http://localhost:5005"
    rasa_auth_token: str = ""
    action_server_url: str = "http://127.0.0.1:5055/webhook"
    #: Shared secret Rasa sends the action server (header ``X-Action-Token``, from endpoints.yml);
    #: the action server refuses every call without it. ``./baraza run`` generates one when unset.
    action_server_token: str = ""
    #: Interface the action server listens on: loopback, unless it runs in its own container.
    action_server_host: str = "127.0.0.1"
    #: The address citizens and ministries use for the web app (behind any proxy): links in the Atom
    #: feed, and the only origin Rasa's CORS allows (the chat page's socket.io). Never the Host header.
    public_url: str = "http://localhost:8080"
    #: Other sites allowed to talk to Rasa from a browser (those embedding the rasa-webchat widget):
    #: BARAZA_WIDGET_ORIGINS, comma-separated origins (``https://ministry.example.go.ke``).
    widget_origins: tuple[str, ...] = ()
    #: Rasa's REST channel takes any sender and proves nothing: for development and tests only
    #: (BARAZA_REST_CHANNEL=on; ``./baraza test`` turns it on). Its conversations are ``rest:<sender>``.
    rest_channel: bool = False
    #: Rasa server worker processes (Sanic). More than one needs the Redis lock store (which we use) and
    #: breaks socket.io long-polling (used by the rasa-webchat widget), whose requests must all reach the
    #: same process: raise it only for REST-only deployments. Scale out with replicas and sticky sessions.
    rasa_workers: int = 1
    #: ``./baraza run`` on one machine: how many of each process to start behind HAProxy (1: no
    #: balancer). See bot/runtime/cluster.py.
    replicas: int = 1
    #: BARAZA_SOCKETIO_ACROSS_REPLICAS=on: the web chat's sockets are reached through Redis from every
    #: Rasa replica (python-socketio's Redis manager, and which conversations are connected shared),
    #: so a push handled by one replica reaches a citizen whose socket another holds, and the delivery
    #: workers push web chat alerts themselves (else through Rasa's trigger_intent: the workers must
    #: read the same value as the Rasa servers). On wherever several Rasa replicas run (the cluster,
    #: docker-compose, Kubernetes); off, one replica saves the Redis round trips.
    socketio_across_replicas: bool = False
    #: Proxies in front of the Rasa server and the web app (a load balancer: 1) whose X-Forwarded-For
    #: is trusted for the client's address (per-address rate limits); 0: the peer is the client.
    proxies_count: int = 0
    web_host: str = "0.0.0.0"  # noqa: S104 - a web server; bind address set by BARAZA_WEB_HOST
    web_port: int = 8080
    #: Longest user message read in full; longer ones are cut and the citizen is told.
    max_message_chars: int = 1000
    #: The meaning of crisis questions (sentence vectors, bot/sentence_vectors.py) helps choose their
    #: entry: BARAZA_SENTENCE_VECTORS=off leaves the choice to letters alone (about 25 ms less per
    #: crisis question, fewer right entries: README, "Understanding citizens as they write").
    sentence_vectors: bool = True
    #: The rate limits' file (empty: ``config/limits.yml``).
    limits_file: Path | None = None
    #: The delivery pacing and retries' file (empty: ``config/delivery.yml``): an installation with
    #: higher limits (a Telegram paid broadcast, a Twilio messaging service) sets its own.
    delivery_file: Path | None = None
    #: The desks of people answering citizens, their hours and holidays (default
    #: ``config/catalogue/desks.yml``; re-read when it changes).
    desks_file: Path | None = None
    #: Input channels that cannot show buttons: options are sent as numbered text.
    text_only_channels: frozenset[str] = field(
        default_factory=lambda: frozenset({"sms", "twilio", "whatsapp", "africastalking", "cmdline"})
    )

    #: Input channels with their own Back and Home on every screen (USSD): the follow-up offers after an
    #: answer are left out there.
    navigating_channels: frozenset[str] = field(default_factory=lambda: frozenset({"ussd"}))

    #: Relational store of concerns: PostgreSQL in production (postgresql://...); empty: SQLite in
    #: ``data_dir`` (nothing to install).
    database_url: str = ""
    #: Days a concern's texts are kept; after that only its category, region, status and dates remain.
    concern_retention_days: int = 365
    #: Days a conversation (Rasa's tracker: what the citizen typed) is kept after its last message.
    conversation_retention_days: int = 90
    #: Telegram (enabled when a token is set): the bot token, the secret Telegram must send with each
    #: update (X-Telegram-Bot-Api-Secret-Token), and the Bot API address (a stand-in in tests).
    telegram_token: str = ""
    telegram_secret_token: str = ""
    telegram_api_url: str = "https://api.telegram.org"
    #: Africa's Talking: the gateway signs nothing, so both channels are off until the callback token
    #: is set, and every callback must carry it (?token= in the callback URLs). USSD: the token; SMS:
    #: the token, username and API key.
    africastalking_username: str = ""
    africastalking_api_key: str = ""
    africastalking_api_url: str = "https://api.africastalking.com"
    africastalking_sender: str = ""
    africastalking_callback_token: str = ""
    #: Twilio SMS and WhatsApp (enabled when the account SID and auth token are set). Requests are
    #: checked against X-Twilio-Signature, computed on the public URL Twilio called: set
    #: TWILIO_WEBHOOK_BASE_URL when a proxy changes it.
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_api_url: str = "https://api.twilio.com"
    twilio_sms_number: str = ""
    twilio_whatsapp_number: str = ""
    twilio_webhook_base_url: str = ""
    #: Facebook Messenger (enabled when all three are set); the graph URL is for a stand-in in tests.
    facebook_verify: str = ""
    facebook_secret: str = ""
    facebook_page_access_token: str = ""
    facebook_graph_url: str = ""
    #: Most SMS segments one message may take before the rest waits behind "MORE".
    sms_max_segments: int = 3
    #: A file the delivery worker touches after every round, for a liveness probe
    #: (``python -m bot.fanout.heartbeat FILE SECONDS``); empty: none.
    worker_heartbeat: str = ""
    #: For command-line tools that call the ministry API: its base URL and the key to use.
    api_url: str = ""
    api_key: str = ""

    @property
    def effective_database_url(self) -> str:
        """``database_url``, or the embedded SQLite file."""
        return self.database_url or f"sqlite:///{self.data_dir / 'baraza.db'}"

    @property
    def config_dir(self) -> Path:
        """Folder of the language list, locales and catalogues."""
        return self.project_root / "config"

    @property
    def browser_origins(self) -> tuple[str, ...]:
        """The only origins whose pages may talk to Rasa from a browser: the web app's own
        (``scheme://host[:port]`` of ``public_url``) and the sites embedding the widget. Rasa's CORS
        allows them on HTTP, and the web chat refuses a socket.io handshake from any other."""
        parsed = urlsplit(self.public_url)
        return (f"{parsed.scheme}://{parsed.netloc}", *self.widget_origins)


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from error


def _switch(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in ("", "0", "off", "false", "no"):
        return False
    if raw in ("1", "on", "true", "yes"):
        return True
    raise ValueError(f"{name} must be on or off, got {raw!r}")


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from environment variables (``os.environ`` by default)."""
    env = os.environ if env is None else env
    defaults = Settings()
    rasa_port = _int(env, "BARAZA_RASA_PORT", defaults.rasa_port)
    action_server_port = _int(env, "BARAZA_ACTION_SERVER_PORT", defaults.action_server_port)
    web_port = _int(env, "BARAZA_WEB_PORT", defaults.web_port)
    return Settings(
        rasa_port=rasa_port,
        action_server_port=action_server_port,
        redis_url=env.get("REDIS_URL", "").strip(),
        socketio_across_replicas=_switch(env, "BARAZA_SOCKETIO_ACROSS_REPLICAS"),
        data_dir=Path(env.get("BARAZA_DATA_DIR", str(defaults.data_dir))),
        embedded_redis_port=_int(env, "BARAZA_EMBEDDED_REDIS_PORT", defaults.embedded_redis_port),
        rasa_url=env.get("RASA_URL", f"http://127.0.0.1:{rasa_port}").rstrip("/"),
        rasa_public_url=env.get("RASA_PUBLIC_URL", f"http://localhost:{rasa_port}").rstrip("/"),
        rasa_auth_token=env.get("RASA_AUTH_TOKEN", ""),
        action_server_url=env.get("ACTION_SERVER_URL", f"http://127.0.0.1:{action_server_port}/webhook"),
        action_server_token=env.get("ACTION_SERVER_TOKEN", "").strip(),
        action_server_host=env.get("BARAZA_ACTION_SERVER_HOST", defaults.action_server_host).strip(),
        public_url=env.get("BARAZA_PUBLIC_URL", f"http://localhost:{web_port}").strip().rstrip("/"),
        rest_channel=_switch(env, "BARAZA_REST_CHANNEL"),
        widget_origins=tuple(
            o.strip().rstrip("/") for o in env.get("BARAZA_WIDGET_ORIGINS", "").split(",") if o.strip()
        ),
        rasa_workers=_int(env, "BARAZA_RASA_WORKERS", defaults.rasa_workers),
        replicas=_int(env, "BARAZA_REPLICAS", defaults.replicas),
        proxies_count=_int(env, "BARAZA_PROXIES_COUNT", defaults.proxies_count),
        web_host=env.get("BARAZA_WEB_HOST", defaults.web_host),
        web_port=web_port,
        max_message_chars=_int(env, "BARAZA_MAX_MESSAGE_CHARS", defaults.max_message_chars),
        sentence_vectors=env.get("BARAZA_SENTENCE_VECTORS", "on").strip().lower() != "off",
        limits_file=Path(env["BARAZA_LIMITS_FILE"]) if env.get("BARAZA_LIMITS_FILE", "").strip() else None,
        delivery_file=(
            Path(env["BARAZA_DELIVERY_FILE"]) if env.get("BARAZA_DELIVERY_FILE", "").strip() else None
        ),
        desks_file=Path(env["BARAZA_DESKS_FILE"]) if env.get("BARAZA_DESKS_FILE", "").strip() else None,
        database_url=env.get("DATABASE_URL", "").strip(),
        concern_retention_days=_int(env, "BARAZA_CONCERN_RETENTION_DAYS", defaults.concern_retention_days),
        conversation_retention_days=_int(
            env, "BARAZA_CONVERSATION_RETENTION_DAYS", defaults.conversation_retention_days
        ),
        telegram_token=env.get("TELEGRAM_TOKEN", "").strip(),
        telegram_secret_token=env.get("TELEGRAM_SECRET_TOKEN", "").strip(),
        telegram_api_url=env.get("TELEGRAM_API_URL", defaults.telegram_api_url).rstrip("/"),
        africastalking_username=env.get("AFRICASTALKING_USERNAME", "").strip(),
        africastalking_api_key=env.get("AFRICASTALKING_API_KEY", "").strip(),
        africastalking_api_url=env.get("AFRICASTALKING_API_URL", defaults.africastalking_api_url).rstrip("/"),
        africastalking_sender=env.get("AFRICASTALKING_SENDER", "").strip(),
        africastalking_callback_token=env.get("AFRICASTALKING_CALLBACK_TOKEN", "").strip(),
        sms_max_segments=_int(env, "BARAZA_SMS_MAX_SEGMENTS", defaults.sms_max_segments),
        worker_heartbeat=env.get("BARAZA_WORKER_HEARTBEAT", "").strip(),
        facebook_verify=env.get("FACEBOOK_VERIFY", "").strip(),
        facebook_secret=env.get("FACEBOOK_SECRET", "").strip(),
        facebook_page_access_token=env.get("FACEBOOK_PAGE_ACCESS_TOKEN", "").strip(),
        facebook_graph_url=env.get("FACEBOOK_GRAPH_URL", "").strip(),
        twilio_account_sid=env.get("TWILIO_ACCOUNT_SID", "").strip(),
        twilio_auth_token=env.get("TWILIO_AUTH_TOKEN", "").strip(),
        twilio_api_url=env.get("TWILIO_API_URL", defaults.twilio_api_url).rstrip("/"),
        twilio_sms_number=env.get("TWILIO_SMS_NUMBER", "").strip(),
        twilio_whatsapp_number=env.get("TWILIO_WHATSAPP_NUMBER", "").strip(),
        twilio_webhook_base_url=env.get("TWILIO_WEBHOOK_BASE_URL", "").rstrip("/"),
        api_url=env.get("BARAZA_API_URL", "").rstrip("/"),
        api_key=env.get("BARAZA_API_KEY", "").strip(),
    )
