"""A lean HTTP/1.1 client for the providers' APIs, for the delivery worker's thousands of calls a second.

aiohttp costs about 0.37 ms of CPU per request here (``python -m bench.delivery``): more than half of
what a whole delivery costs the worker. A provider call needs little of it: one POST of a small JSON or
form body to a handful of origins, over connections kept alive between calls, and the status and the
body of the answer. This client does only that, over asyncio transports, with ``httptools`` (already
installed with Sanic) parsing the answers, and offers the part of ``aiohttp.ClientSession``'s surface
the outputs use (``post(url, json=|data=, headers=, auth=)`` as an async context manager whose reply
has ``status``, ``json()`` and ``text()``), so the outputs (``bot/channels/http.py``) call either.

Connections: at most ``per_origin`` to each origin, reused while the server keeps them open; one idle
longer than ``idle_seconds`` (servers close idle connections) or answered with ``Connection: close``
is dropped. A request is never sent twice by this client: a connection found closed before writing is
replaced, but once a request has been written, a failure is the caller's (the worker releases its claim
and retries the delivery later, as with aiohttp).
"""

from __future__ import annotations

import asyncio
import base64
import json as jsonlib
import ssl
import time
import urllib.parse
from collections import deque
from types import TracebackType
from typing import Any

import httptools


class ProviderUnreachable(OSError):
    """The provider's server could not be reached, or the connection broke before its answer."""


class Reply:
    """A provider's answer: status and body."""

    def __init__(self, status: int, body: bytes, content_type: str) -> None:
        self.status = status
        self.body = body
        self.content_type = content_type

    async def json(self, content_type: str | None = "application/json") -> Any:
        """The body as JSON (``content_type`` is accepted for aiohttp's signature; any type is read)."""
        return jsonlib.loads(self.body or b"null")

    async def text(self) -> str:
        """The body as text."""
        return self.body.decode("utf-8", errors="replace")


class _Answer(asyncio.Protocol):
    """One kept-alive connection: writes requests, parses the answers with httptools."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.last_used = time.monotonic()
        self._parser = httptools.HttpResponseParser(self)
        self._waiter: asyncio.Future[Reply] | None = None
        self._status = 0
        self._body: list[bytes] = []
        self._content_type = ""
        self._header_name = b""
        self._keep = True

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as error:
            self._fail(ProviderUnreachable(f"malformed answer: {error}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(ProviderUnreachable(f"connection closed before the answer ({exc or 'EOF'})"))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        lowered = name.lower()
        if lowered == b"content-type":
            self._content_type = value.decode("latin-1")
        elif lowered == b"connection" and value.lower() == b"close":
            self._keep = False

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        self._status = self._parser.get_status_code()
        if not self._parser.should_keep_alive():
            self._keep = False
        waiter, self._waiter = self._waiter, None
        reply = Reply(self._status, b"".join(self._body), self._content_type)
        self._body = []
        if waiter is not None and not waiter.done():
            waiter.set_result(reply)

    # use
    def send(self, request: bytes, timeout: float) -> asyncio.Future[Reply]:
        """Write a request; the future of its answer, failed with a timeout after ``timeout`` seconds
        (a timer rather than ``asyncio.wait_for``, which costs a task per call)."""
        assert self.transport is not None
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        self._status, self._body, self._content_type, self._keep = 0, [], "", True
        timer = loop.call_later(timeout, self._fail, asyncio.TimeoutError())
        waiter.add_done_callback(lambda _: timer.cancel())
        self.transport.write(request)
        return waiter

    @property
    def reusable(self) -> bool:
        return (
            self._keep and not self.closed and self.transport is not None and not self.transport.is_closing()
        )

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _fail(self, error: Exception) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(error)


class _Origin:
    """The connections to one scheme://host:port."""

    def __init__(self, scheme: str, host: str, port: int, limit: int) -> None:
        self.scheme, self.host, self.port = scheme, host, port
        self.idle: deque[_Answer] = deque()
        self.slots = asyncio.Semaphore(limit)


class _Call:
    """``async with session.post(...) as reply``."""

    def __init__(
        self, session: KeepAliveSession, method: str, url: str, body: bytes, headers: dict[str, str]
    ):
        self._session, self._method, self._url, self._body, self._headers = (
            session,
            method,
            url,
            body,
            headers,
        )

    async def __aenter__(self) -> Reply:
        return await self._session.request(self._method, self._url, self._body, self._headers)

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        return None


class KeepAliveSession:
    """A pool of kept-alive HTTP/1.1 connections per origin (see the module's docstring)."""

    def __init__(self, *, per_origin: int = 64, timeout: float = 15.0, idle_seconds: float = 10.0) -> None:
        self._per_origin = max(1, per_origin)
        self._timeout = timeout
        self._idle_seconds = idle_seconds
        self._origins: dict[tuple[str, str, int], _Origin] = {}
        self._tls: ssl.SSLContext | None = None

    def post(
        self,
        url: str,
        *,
        json: Any = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        auth: Any = None,
        params: dict[str, str] | None = None,
    ) -> _Call:
        """A POST of a JSON body (``json``) or a form (``data``); ``auth`` has ``login`` and ``password``
        (aiohttp's ``BasicAuth``) for HTTP basic authentication; ``params`` are added to the query."""
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        sent = dict(headers or {})
        if json is not None:
            body = jsonlib.dumps(json, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            sent.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode(data or {}).encode("ascii")
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if auth is not None:
            pair = f"{auth.login}:{auth.password}".encode()
            sent["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        return _Call(self, "POST", url, body, sent)

    async def request(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> Reply:
        """Send one request and read its answer, within the timeout."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        key = (parts.scheme, parts.hostname, port)
        origin = self._origins.get(key)
        if origin is None:
            origin = self._origins[key] = _Origin(parts.scheme, parts.hostname, port, self._per_origin)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host = parts.hostname if parts.port is None else f"{parts.hostname}:{port}"
        lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
        lines.extend(f"{name}: {value}" for name, value in headers.items())
        request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        try:
            return await self._exchange(origin, request)
        except OSError as error:
            if isinstance(error, ProviderUnreachable):
                raise
            raise ProviderUnreachable(f"{type(error).__name__}: {error}") from error

    async def _exchange(self, origin: _Origin, request: bytes) -> Reply:
        async with origin.slots:
            connection = await asyncio.wait_for(self._connection(origin), self._timeout)
            try:
                reply = await connection.send(request, self._timeout)
            except BaseException:
                connection.close()
                raise
            connection.last_used = time.monotonic()
            if connection.reusable:
                origin.idle.append(connection)
            else:
                connection.close()
            return reply

    async def _connection(self, origin: _Origin) -> _Answer:
        now = time.monotonic()
        while origin.idle and now - origin.idle[0].last_used >= self._idle_seconds:
            origin.idle.popleft().close()  # the oldest first: likely closed by the server by now
        while origin.idle:
            connection = origin.idle.pop()  # the most recently used: the likeliest to be alive
            if connection.reusable and now - connection.last_used < self._idle_seconds:
                return connection
            connection.close()
        loop = asyncio.get_running_loop()
        tls = self._tls_context() if origin.scheme == "https" else None
        _, protocol = await loop.create_connection(
            _Answer, origin.host, origin.port, ssl=tls, server_hostname=origin.host if tls else None
        )
        return protocol

    def _tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            self._tls = ssl.create_default_context()
        return self._tls

    async def close(self) -> None:
        """Close every kept connection."""
        for origin in self._origins.values():
            while origin.idle:
                origin.idle.pop().close()
        self._origins.clear()
