"""The lean provider client against a real HTTP server on loopback (asyncio streams, no framework)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from bot.channels.keepalive import KeepAliveSession, ProviderUnreachable

Answer = Callable[[bytes, bytes, asyncio.StreamWriter], Awaitable[bool]]


class Server:
    """An HTTP/1.1 server: each request is given to ``answer`` (head, body, writer), which writes the
    reply and says whether to keep the connection; counts connections and requests."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.connections = 0
        self.requests: list[tuple[bytes, bytes]] = []
        self.open_now = 0
        self.most_open = 0
        self._server: asyncio.AbstractServer | None = None
        self.url = ""

    async def __aenter__(self) -> Server:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *_: Any) -> None:
        assert self._server is not None
        self._server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                body = await reader.readexactly(length)
                self.requests.append((head, body))
                if not await self.answer(head, body, writer):
                    return
        finally:
            self.open_now -= 1
            writer.close()


def ok(body: bytes = b'{"ok":true}', *extra: str) -> bytes:
    headers = "".join(f"{h}\r\n" for h in extra)
    return (
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n{headers}\r\n"
    ).encode() + body


async def answer_ok(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
    writer.write(ok())
    await writer.drain()
    return True


def run(work: Awaitable[Any]) -> Any:
    return asyncio.run(asyncio.wait_for(work, 30))  # type: ignore[arg-type]


def test_calls_reuse_one_kept_alive_connection_and_send_the_json_body() -> None:
    async def work() -> None:
        async with Server(answer_ok) as server:
            session = KeepAliveSession()
            for i in range(5):
                async with session.post(
                    f"{server.url}/bot1/sendMessage", json={"chat_id": i, "text": "Mafuriko é"}
                ) as reply:
                    assert reply.status == 200
                    assert await reply.json(content_type=None) == {"ok": True}
            await session.close()
            assert server.connections == 1
            assert len(server.requests) == 5
            head, body = server.requests[-1]
            assert head.startswith(b"POST /bot1/sendMessage HTTP/1.1\r\n")
            assert b"Content-Type: application/json" in head
            assert json.loads(body) == {"chat_id": 4, "text": "Mafuriko é"}

    run(work())


def test_a_form_with_basic_authentication_as_twilio_takes_it() -> None:
    async def work() -> None:
        async with Server(answer_ok) as server:
            session = KeepAliveSession()
            auth = aiohttp.BasicAuth("AC123", "secret")
            async with session.post(
                f"{server.url}/Messages.json?x=1",
                data={"To": "+254 7", "Body": "a&b"},
                auth=auth,
                params={"k": "v w"},
            ) as reply:
                assert reply.status == 200
            await session.close()
            head, body = server.requests[0]
            assert head.startswith(b"POST /Messages.json?x=1&k=v+w HTTP/1.1\r\n")
            assert b"Authorization: Basic QUMxMjM6c2VjcmV0" in head
            assert b"application/x-www-form-urlencoded" in head
            assert body == b"To=%2B254+7&Body=a%26b"

    run(work())


def test_a_chunked_answer_and_an_error_status_are_read_whole() -> None:
    async def chunked(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(
            b"HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Type: text/plain\r\n\r\n"
            b"5\r\nslow \r\n5\r\ndown!\r\n0\r\n\r\n"
        )
        await writer.drain()
        return True

    async def work() -> None:
        async with Server(chunked) as server:
            session = KeepAliveSession()
            async with session.post(server.url, json={}) as reply:
                assert reply.status == 429
                assert await reply.text() == "slow down!"
            async with session.post(server.url, json={}) as reply:  # the connection survived the chunks
                assert await reply.text() == "slow down!"
            await session.close()
            assert server.connections == 1

    run(work())


def test_connection_close_and_a_server_closing_idle_connections_get_a_fresh_connection() -> None:
    async def close_after(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
        said = json.loads(body)["t"]
        writer.write(ok(b"{}", *(["Connection: close"] if said == "close" else [])))
        await writer.drain()
        return said == "keep"  # "linger": answered as kept alive, then closed by the server while idle

    async def work() -> None:
        async with Server(close_after) as server:
            session = KeepAliveSession()
            for said in ("close", "close", "keep", "keep", "linger"):
                async with session.post(server.url, json={"t": said}) as reply:
                    assert reply.status == 200
            assert server.connections == 3
            await asyncio.sleep(0.05)
            async with session.post(server.url, json={"t": "keep"}) as reply:
                assert reply.status == 200
            await session.close()
            assert server.connections == 4
            assert [json.loads(b)["t"] for _, b in server.requests] == [
                "close",
                "close",
                "keep",
                "keep",
                "linger",
                "keep",
            ]

    run(work())


def test_a_request_written_then_dropped_fails_once_and_is_never_sent_again() -> None:
    async def drop(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
        return False  # read the request, close without an answer

    async def work() -> None:
        async with Server(drop) as server:
            session = KeepAliveSession()
            with pytest.raises(ProviderUnreachable):
                async with session.post(server.url, json={"n": 1}):
                    pass
            await session.close()
            assert len(server.requests) == 1

    run(work())


def test_a_silent_server_times_out_and_an_absent_one_is_unreachable() -> None:
    async def silent(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(5)
        return False

    async def work() -> None:
        async with Server(silent) as server:
            session = KeepAliveSession(timeout=0.3)
            with pytest.raises(asyncio.TimeoutError):
                async with session.post(server.url, json={}):
                    pass
            await session.close()
        with pytest.raises(OSError):  # nothing listens there any more
            async with KeepAliveSession().post(server.url, json={}):
                pass

    run(work())


def test_no_more_connections_to_an_origin_than_its_limit() -> None:
    async def slow(head: bytes, body: bytes, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(0.02)
        return await answer_ok(head, body, writer)

    async def work() -> None:
        async with Server(slow) as server:
            session = KeepAliveSession(per_origin=4)

            async def one(i: int) -> int:
                async with session.post(server.url, json={"i": i}) as reply:
                    return reply.status

            assert await asyncio.gather(*(one(i) for i in range(40))) == [200] * 40
            await session.close()
            assert server.most_open <= 4
            assert len(server.requests) == 40

    run(work())


def test_only_http_urls() -> None:
    async def work() -> None:
        with pytest.raises(ValueError):
            async with KeepAliveSession().post("ftp://example.org/x", json={}):
                pass

    run(work())
