"""The web chat channel: Rasa's socket.io protocol, plus the language of every bot message.

It speaks exactly the protocol of Rasa's built-in ``socketio`` channel (events ``session_request`` /
``session_confirm``, ``user_uttered`` / ``bot_uttered``, path ``/socket.io``), so the ``rasa-webchat``
widget works unchanged. The difference: each bot message carries ``metadata.language`` and
``metadata.direction``, which the citizen page uses to set ``lang`` and ``dir`` on the message (the
built-in output drops the metadata our actions attach).

Sessions: the ``session_id`` the page keeps is a secret the server issued (256 random bits; a page's
older 32-digit id is kept too). The conversation is ``web:<digest of the secret>`` and each socket is
bound to the conversation of the secret it presented in ``session_request``: the conversation id seen
in stores, subscriptions or a log resumes nothing (it is hashed again into another conversation), a
secret too short or malformed gets a fresh one, and a message names no conversation (the socket's own
is used; a socket that never asked for a session is ignored). Replies and held messages go to the
conversation's room, which only sockets holding the secret join.

Origins: browsers apply CORS to HTTP only, so a page on any site could open a WebSocket to the chat.
Every socket.io request (the WebSocket handshake and long-polling alike) that carries an ``Origin``
other than the web app's or a widget site's (``Settings.browser_origins``) is refused with 403 before
Engine.IO sees it. A request without ``Origin`` does not come from a page's script (browsers always
send it there) and is let through: a program can claim any origin anyway, and still needs a session's
secret to reach a conversation. The CORS headers of allowed requests stay Rasa's (``--cors``), so
Engine.IO's own origin check, which would add a second set, stays off.

Several Rasa replicas (``Settings.socketio_across_replicas``): python-socketio's Redis manager carries
every emit to the replica holding the socket, and :class:`~bot.channels.presence.WebChatPresence`
tells every replica which conversations are connected anywhere, so a push handled by one replica goes
live to a citizen connected to another instead of waiting in their offline inbox.

The delivery worker pushes alerts from outside the Rasa server (:class:`WebChatPush`), through the
same Redis manager, presence and inbox: so only with ``socketio_across_replicas`` on, the one case
where another process can reach the sockets (see its docstring).
"""

from __future__ import annotations

import asyncio
import hmac
import inspect
import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Iterable, List, cast

import redis.asyncio as aioredis
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput
from redis.exceptions import RedisError
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer

from bot import redis_keys
from bot.channels.inbox import OfflineInbox
from bot.channels.presence import RENEW_EVERY_SECONDS, WebChatPresence
from bot.identity import is_web_secret, new_web_secret, web_conversation_id
from bot.services import shared

logger = logging.getLogger(__name__)


def _message_metadata(kwargs: Dict[str, Any]) -> Dict[str, Any]:
    return {key: kwargs[key] for key in ("language", "direction") if key in kwargs}


def _redis_manager(
    url: str, client: aioredis.Redis[bytes], kind: type[AsyncRedisManager] = AsyncRedisManager, **options: Any
) -> Any:
    """python-socketio's Redis manager on the deployment's pub/sub channel (one per database)."""
    database = int(client.connection_pool.connection_kwargs.get("db") or 0)
    return kind(url, channel=redis_keys.socketio_channel(database), **options)


class WebChatOutput(OutputChannel):
    """Sends bot messages to one socket.io room, each with its language and direction."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def __init__(
        self,
        sio: AsyncServer,
        bot_message_evt: str,
        inbox: OfflineInbox | None = None,
        namespace: str = "/",
        presence: WebChatPresence | None = None,
    ) -> None:
        self.sio = sio
        self.bot_message_evt = bot_message_evt
        self.inbox = inbox
        self.namespace = namespace
        self.presence = presence

    def _held_here(self, room: str) -> bool:
        return any(True for _ in self.sio.manager.get_participants(self.namespace, room))

    async def _held_elsewhere(self, room: str) -> bool:
        if self.presence is None:
            return False
        try:
            return await self.presence.connected(room)
        except RedisError:
            logger.warning("web chat presence unknown (Redis unavailable): the message is kept")
            return False

    async def _emit(self, room: str, message: Dict[str, Any]) -> None:
        if self._held_here(room):
            # The answer to a turn, or a push for a socket this replica holds: sent from here only
            # (nothing crosses Redis; sticky sessions keep a browser's tabs on one replica).
            await self.sio.emit(self.bot_message_evt, message, room=room, ignore_queue=True)
        elif await self._held_elsewhere(room):
            await self.sio.emit(self.bot_message_evt, message, room=room)  # through Redis, to its holder
        elif self.inbox is not None:
            # Nobody on this conversation right now (e.g. an alert pushed while the page was closed).
            try:
                await self.inbox.hold(room, message)
            except RedisError:
                logger.exception("could not keep a message for an offline web chat user")
        else:
            await self.sio.emit(self.bot_message_evt, message, room=room)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._emit(recipient_id, {"text": text, "metadata": _message_metadata(kwargs)})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        quick_replies = [
            {"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons
        ]
        await self._emit(
            recipient_id,
            {"text": text, "quick_replies": quick_replies, "metadata": _message_metadata(kwargs)},
        )

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._emit(recipient_id, {"attachment": {"type": "image", "payload": {"src": image}}})

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        await self._emit(recipient_id, json_message)


class NobodyListening(Exception):
    """No Rasa process listens on the web chat's pub/sub channel: an emit would reach no socket."""


class _Publisher(AsyncRedisManager):
    """The Redis manager of a process without sockets (``write_only``), whose publish fails loudly.

    python-socketio's own ``_publish`` logs a failed publish and returns, so the caller cannot tell a
    message sent from a message lost; here a Redis error is raised, and so is a publish that no Rasa
    process received (Redis answers how many subscribers got it).
    """

    async def _publish(self, data: Any) -> None:
        if not self.connected:
            self._redis_connect()
        if not await self.redis.publish(self.channel, self.json.dumps(data)):
            raise NobodyListening(self.channel)


class WebChatPush(WebChatOutput):
    """The web chat's output in a delivery worker, a process that holds no socket.

    It sends what :class:`WebChatOutput` sends (its methods build the messages: ``metadata.language``
    and ``direction`` included) to the conversation's room: through python-socketio's Redis manager
    (write-only) when a Rasa replica holds a socket of the conversation (:class:`WebChatPresence`),
    else (or when no Rasa process heard it) into the offline inbox, released when the citizen returns.
    A Redis error is raised, not swallowed as inside Rasa: the worker then releases its claim and
    retries.

    Why only with ``socketio_across_replicas`` on (:meth:`WebChatInput.worker_output`): with it off,
    a Rasa server neither listens on the pub/sub channel nor records which conversations are connected,
    so a worker could only put every notice in the inbox, and a citizen with the page open would see it
    at their next visit instead of now. The worker then leaves the web chat to ``trigger_intent``, whose
    turn runs in the process holding the socket. The other way, a Rasa server always running the
    manager when the workers push, would need it to know how the workers run (``--through-rasa`` is
    theirs) and would cost Redis calls on every socket of every single-server installation; with one
    setting both read, the cluster, docker-compose and Kubernetes (on) push directly, and a single
    server gets the same by turning it on.
    """

    def __init__(self, redis_url: str, bot_message_evt: str, namespace: str = "/") -> None:
        client: aioredis.Redis[bytes] = aioredis.Redis.from_url(redis_url, socket_timeout=5)
        self.bot_message_evt = bot_message_evt
        self.namespace = namespace
        self.publisher: _Publisher = _redis_manager(redis_url, client, _Publisher, write_only=True)
        self.presence: WebChatPresence = WebChatPresence(client, "delivery-worker")
        self.inbox: OfflineInbox = OfflineInbox(redis_url)
        self._client = client

    async def _emit(self, room: str, message: Dict[str, Any]) -> None:
        if await self.presence.connected(room):
            try:
                await self.publisher.emit(self.bot_message_evt, message, namespace=self.namespace, room=room)
                return
            except NobodyListening:
                logger.warning("a web chat conversation counts as connected but no Rasa server listens")
        await self.inbox.hold(room, message)

    async def aclose(self) -> None:
        """Close the Redis connections (the worker's loop is stopping)."""
        await self._client.close()
        if self.publisher.redis is not None:
            await self.publisher.redis.close()


def allowed_origin(origin: str | None, allowed: Iterable[str]) -> bool:
    """Whether a request with this ``Origin`` header may use the web chat (absent: not a page)."""
    if origin is None:
        return True
    return origin.strip().rstrip("/").lower() in {a.rstrip("/").lower() for a in allowed}


class WebChatBlueprint(SocketBlueprint):
    """Rasa's socket.io blueprint, refusing requests from pages of other origins (403)."""

    def __init__(self, sio: AsyncServer, socketio_path: str, origins: Iterable[str], *args: Any) -> None:
        super().__init__(sio, socketio_path, *args)
        self.ctx.origins = frozenset(o.rstrip("/").lower() for o in origins)

    def register(self, app: Sanic, options: Dict[str, Any]) -> None:
        path = "/" + str(self.ctx.socketio_path).strip("/")
        origins = self.ctx.origins

        async def refuse_other_origins(request: Request) -> HTTPResponse | None:
            if request.path != path and not request.path.startswith(path + "/"):
                return None
            if allowed_origin(request.headers.get("origin"), origins):
                return None
            logger.info("socket.io request from a page of another origin refused")
            return response.json({"error": "this site may not open the web chat"}, status=403)

        # On the app, not the blueprint: Engine.IO's routes are the app's own (see ``attach``).
        app.register_middleware(refuse_other_origins, "request")
        super().register(app, options)


class WebChatInput(SocketIOInput):
    """Rasa's socket.io input, answering through :class:`WebChatOutput`."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def _output(self, sio: AsyncServer) -> WebChatOutput:
        presence = getattr(self, "_presence", None)
        return WebChatOutput(sio, self.bot_message_evt, self._inbox(), self.namespace or "/", presence)

    def _server(self) -> AsyncServer:
        """The socket.io server: on its own, or sharing emits and presence with the other replicas."""
        settings = shared().settings
        # CORS headers come from the Rasa server (--cors); [] stops engineio from adding a second
        # set, which browsers reject. Origins are checked by the blueprint instead.
        if not (settings.socketio_across_replicas and settings.redis_url):
            return AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        client = shared().async_redis
        manager = _redis_manager(settings.redis_url, client)
        self._presence = WebChatPresence(client, f"{manager.host_id}-{uuid.uuid4().hex[:8]}")
        return AsyncServer(async_mode="sanic", cors_allowed_origins=[], client_manager=manager)

    def _inbox(self) -> OfflineInbox | None:
        if not hasattr(self, "_offline_inbox"):
            url = shared().settings.redis_url
            self._offline_inbox = OfflineInbox(url) if url else None
        return self._offline_inbox

    def get_output_channel(self) -> OutputChannel | None:
        if self.sio is None:
            return None
        return self._output(self.sio)

    def worker_output(self) -> WebChatPush | None:
        """The output a delivery worker pushes alerts with, or None (they then go through Rasa's
        ``trigger_intent``) when the Rasa servers keep their sockets to themselves."""
        settings = shared().settings
        if not (settings.socketio_across_replicas and settings.redis_url):
            return None
        return WebChatPush(settings.redis_url, self.bot_message_evt, self.namespace or "/")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = self._server()
        presence: WebChatPresence | None = getattr(self, "_presence", None)
        origins = shared().settings.browser_origins
        blueprint = WebChatBlueprint(sio, self.socketio_path, origins, "socketio_webhook", __name__)
        self.sio = sio

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        namespace = self.namespace or "/"
        #: socket id -> (session secret, conversation id) of the session it asked for
        sessions: Dict[str, tuple[str, str]] = {}

        async def present(change: Callable[[str, str], Awaitable[None]], conversation: str, sid: str) -> None:
            if presence is None:
                return
            try:
                await change(conversation, sid)
            except RedisError:
                logger.warning("web chat presence not recorded (Redis unavailable)")

        async def renew_presence() -> None:
            """Keep this replica's sockets counted while they stay open."""
            while presence is not None:
                await asyncio.sleep(RENEW_EVERY_SECONDS)
                try:
                    await presence.renew([(conversation, sid) for sid, (_, conversation) in sessions.items()])
                except RedisError:
                    logger.warning("web chat presence not renewed (Redis unavailable)")

        renewing: list[Any] = []

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str, *_: Any) -> None:
            _secret, conversation = sessions.pop(sid, ("", ""))
            if conversation and presence is not None:
                await present(presence.leave, conversation, sid)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Dict[str, Any] | None) -> None:
            data = data if isinstance(data, dict) else {}
            presented = str(data.get("session_id") or "")
            resumed = self.session_persistence and is_web_secret(presented)
            secret = presented if resumed else new_web_secret()
            conversation = web_conversation_id(secret)
            for room in sio.rooms(sid, namespace=namespace):
                if room not in (sid, conversation):
                    left = sio.leave_room(sid, room, namespace=namespace)
                    if inspect.isawaitable(left):
                        await left
            _secret, before = sessions.get(sid, ("", ""))
            sessions[sid] = (secret, conversation)
            joined = sio.enter_room(sid, conversation, namespace=namespace)
            if inspect.isawaitable(joined):  # a coroutine from python-socketio 5.10 on
                await joined
            if presence is not None:
                if before and before != conversation:
                    await present(presence.leave, before, sid)
                await present(presence.arrive, conversation, sid)
                if not renewing:
                    renewing.append(sio.start_background_task(renew_presence))
            # to this socket, which this replica holds: never through Redis (the secret stays here)
            await sio.emit("session_confirm", secret, room=sid, ignore_queue=True)
            inbox = self._inbox()
            if inbox is not None and resumed:
                for held in await inbox.release(conversation):  # what came while they were away
                    await sio.emit(self.bot_message_evt, held, room=sid, ignore_queue=True)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            secret, sender_id = sessions.get(sid, ("", ""))
            if not sender_id:
                logger.warning("socket.io message before session_request ignored")
                return
            named = str(data.get("session_id") or "")
            if named and not hmac.compare_digest(named.encode(), secret.encode()):
                logger.warning("socket.io message naming another session ignored")
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except json.JSONDecodeError:
                    metadata = {}
            message = UserMessage(
                str(data.get("message") or ""),
                self._output(sio),
                str(sender_id),
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else {},
            )
            await on_new_message(message)

        return cast(Blueprint, blueprint)


__all__ = ["WebChatBlueprint", "WebChatInput", "WebChatOutput", "WebChatPush", "allowed_origin"]
