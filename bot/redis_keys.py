"""Every Redis key Baraza uses is built here, so the key space is documented in one place.

Rasa's own tracker and lock stores use their own prefixes (``tracker:``/``lock:``, set in
``endpoints.yml``); Baraza's keys all start with ``baraza:``.
"""

PREFIX = "baraza"


def alert(alert_id: str) -> str:
    """JSON document of one alert."""
    return f"{PREFIX}:alert:{alert_id}"


def alerts_by_region(region_id: str) -> str:
    """Sorted set of alert ids targeting a region, scored by expiry (epoch seconds)."""
    return f"{PREFIX}:alerts:region:{region_id}"


def alert_shown(alert_id: str) -> str:
    """The version of the alert's record whose view (shown or withdrawn) Redis holds now; the relay
    and the rebuild write a view only over an older one (``bot/alerts/outbox.py``)."""
    return f"{PREFIX}:alertshown:{alert_id}"


def alert_change_applied(alert_id: str, version: int) -> str:
    """Set once the outbox effects of one change of an alert (the version it made) are applied, in the
    same transaction: a relay that finds it applies nothing twice (``bot/alerts/outbox.py``)."""
    return f"{PREFIX}:alertapplied:{alert_id}:{version}"


def alert_record(alert_id: str) -> str:
    """Before alert records were in the database: JSON document of an alert as its ministry managed it
    (content, status, history). Read only by the migration (``bot/runtime/records.py``), which deletes it."""
    return f"{PREFIX}:alertrec:{alert_id}"


def alert_records() -> str:
    """Before alert records were in the database: sorted set of every alert record id, scored by
    creation time. Read only by the migration, which empties it."""
    return f"{PREFIX}:alertrecs"


def alert_records_of_ministry(ministry: str) -> str:
    """Before alert records were in the database: sorted set of one ministry's alert record ids.
    Deleted by the migration."""
    return f"{PREFIX}:alertrecs:ministry:{ministry}"


def alert_by_cap_identity(sender: str, identifier: str) -> str:
    """Before alert records were in the database: the alert id a CAP (sender, identifier) pair was
    stored under. Deleted by the migration."""
    return f"{PREFIX}:alertrecs:cap:{sender}:{identifier}"


def api_keys() -> str:
    """Before API keys were records in the database: hash of key id -> JSON of the key's digest,
    holder, ministry and role. Read only by the migration (``bot/runtime/records.py``), which empties it."""
    return f"{PREFIX}:apikeys"


def subscribers_of_region(region: str, topic: str | None = None) -> str:
    """Before subscriptions were records in the database: set of subscriber ids following a region,
    all its alerts (no topic) or only one topic. Read only by the migrations, which empty it."""
    return f"{PREFIX}:subs:region:{region}" + (f":topic:{topic}" if topic else "")


def subscriber(subscriber_id: str) -> str:
    """Before subscriptions were records in the database: hash of one subscriber's language and one
    consent per region. Read only by the migrations (``bot/runtime/records.py``), which empty it."""
    return f"{PREFIX}:subscriber:{subscriber_id}"


def fan_out_jobs() -> str:
    """Stream of fan-out jobs (resolve an alert's recipients, supersede, cancel)."""
    return f"{PREFIX}:fanout:jobs"


def deliveries() -> str:
    """Stream of single deliveries (alert x subscriber), consumed by the delivery workers' group."""
    return f"{PREFIX}:deliveries"


def delivery_retries() -> str:
    """Sorted set of deliveries waiting to be retried, scored by when (epoch seconds)."""
    return f"{PREFIX}:deliveries:retry"


def dead_letters() -> str:
    """List of deliveries that failed for good, as JSON, for an operator to inspect."""
    return f"{PREFIX}:deliveries:dead"


def recipients(alert_id: str, kind: str) -> str:
    """Hash of one fan-out's recipients: subscriber id -> queued | sent | failed | skipped."""
    return f"{PREFIX}:fanout:{alert_id}:{kind}:recipients"


def delivery_counts(alert_id: str, kind: str) -> str:
    """Hash of one fan-out's counters: enqueued, sent, failed, skipped, resolved (1 when complete)."""
    return f"{PREFIX}:fanout:{alert_id}:{kind}:counts"


def rate_bucket(channel: str) -> str:
    """Token bucket (tokens, last refill) limiting deliveries on one channel, shared by all workers."""
    return f"{PREFIX}:ratelimit:{channel}"


def delivered_effects(channel: str) -> str:
    """Set of delivery ids a test or null channel has already acted on (its idempotency record)."""
    return f"{PREFIX}:effects:{channel}"


def delivery_attempts(channel: str) -> str:
    """Counter of delivery attempts a test or null channel received (duplicates included)."""
    return f"{PREFIX}:effects:{channel}:attempts"


def pushed_notices(conversation_id: str) -> str:
    """Hash of the notices pushed into one conversation: delivery id -> JSON (kind, reference, time)."""
    return f"{PREFIX}:pushed:{conversation_id}"


def offline_inbox(channel: str, conversation_id: str) -> str:
    """List of messages for a web chat user who was not connected when they were sent (JSON, capped)."""
    return f"{PREFIX}:inbox:{channel}:{conversation_id}"


def web_chat_presence(conversation_id: str) -> str:
    """Sorted set of the sockets (``<process>:<socket id>``) connected to a web chat conversation on
    any Rasa replica, scored by when each stops counting unless renewed (epoch seconds)."""
    return f"{PREFIX}:presence:socketio:{conversation_id}"


def socketio_channel(database: int) -> str:
    """Pub/sub channel python-socketio's Redis manager shares emits on. Pub/sub ignores database
    numbers, so the database is part of the name: two deployments on one Redis server stay apart."""
    return f"{PREFIX}:socketio:{database}"


def button_payload(channel: str, digest: str) -> str:
    """A button payload too long for the channel's limit (Telegram: 64 bytes), under a short digest."""
    return f"{PREFIX}:payload:{channel}:{digest}"


def ussd_session(session_id: str) -> str:
    """JSON of one USSD session's screens (for Back and More), kept a few minutes."""
    return f"{PREFIX}:ussd:{session_id}"


def sms_pages(address: str) -> str:
    """JSON of the pages of a long SMS not sent yet (the citizen replies MORE for the next one)."""
    return f"{PREFIX}:sms:pages:{address}"


def whatsapp_window(address: str) -> str:
    """Set while a WhatsApp user's 24-hour customer-service window is open (expires with it)."""
    return f"{PREFIX}:whatsapp:window:{address}"


def rasa_tracker(conversation_id: str) -> str:
    """Rasa's own tracker of a conversation (RedisTrackerStore: key_prefix of endpoints.yml + "tracker:")."""
    return f"barazatracker:tracker:{conversation_id}"


def conversations_to_forget() -> str:
    """Sorted set of conversation ids to delete, scored by when (after Rasa has saved the last turn)."""
    return f"{PREFIX}:forget:due"


def open311_post(digest: str) -> str:
    """Ticket filed for one Open311 POST (key and fields digested), kept a few minutes for retries."""
    return f"{PREFIX}:open311:post:{digest}"


def unanswered() -> str:
    """Sorted set of questions Baraza could not answer (redacted JSON), scored by time."""
    return f"{PREFIX}:insights:unanswered"


def turns_of_day(day: str) -> str:
    """Hash of one day's citizen turns: "<language>:all" and "<language>:missed" counts."""
    return f"{PREFIX}:insights:turns:{day}"


def handoff(handoff_id: str) -> str:
    """JSON document of one handoff (conversation passed to a person), with its events."""
    return f"{PREFIX}:handoff:{handoff_id}"


def handoffs_waiting(desk: str) -> str:
    """Sorted set of a desk's waiting handoff ids: urgent ones first, then by time asked."""
    return f"{PREFIX}:handoffs:waiting:{desk}"


def handoffs_claimed(desk: str) -> str:
    """Set of the handoff ids a person of the desk holds now."""
    return f"{PREFIX}:handoffs:claimed:{desk}"


def handoff_of_conversation(conversation_id: str) -> str:
    """The id of a conversation's active handoff (waiting or held by a person)."""
    return f"{PREFIX}:handoff:conversation:{conversation_id}"


def handoff_rating_of_conversation(conversation_id: str) -> str:
    """The id of the handoff a person ended last in a conversation, while its rating may still come
    (expires after :data:`bot.handoff.service.RATING_WINDOW`)."""
    return f"{PREFIX}:handoff:rating:{conversation_id}"


def handoffs_by_time() -> str:
    """Sorted set of every handoff id, scored by when it was asked (epoch seconds): figures, retention."""
    return f"{PREFIX}:handoffs"


def handoff_outbox(conversation_id: str) -> str:
    """List of JSON notices waiting to be said to the citizen of a handed-over conversation."""
    return f"{PREFIX}:handoff:outbox:{conversation_id}"


def handoff_live(desk: str) -> str:
    """Pub/sub channel of a desk's live inbox events (new citizen message, queued, claimed, ended)."""
    return f"{PREFIX}:handoff:live:{desk}"


def migration_done(name: str) -> str:
    """Marker of a one-time data migration that has run (value: when, or "running")."""
    return f"{PREFIX}:migration:{name}"


def rate_limit(limit: str, subject: str) -> str:
    """Token bucket (tokens, last refill) of one rate limit for one subject (a digest, or "all")."""
    return f"{PREFIX}:limit:{limit}:{subject}"


def rate_limit_told(conversation_digest: str) -> str:
    """Set while a conversation has been told it sends too fast (so it is told once), expiring."""
    return f"{PREFIX}:limit:told:{conversation_digest}"
