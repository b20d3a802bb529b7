"""``/api/v1/handoffs``: the agents' inbox. Only an agent key opens it, and only for its desks.

Views are thin: parse, call :class:`~bot.handoff.inbox.Inbox` in a thread (it calls Rasa with
``requests``), serialise. Who may claim, reply, transfer and end is the handoff service's rule. The
conversation so far is read from Rasa's tracker; its texts are redacted (as concerns are) for every
agent but the one holding the conversation. The conversation's id (it may hold a phone number) never
leaves the server: a handoff is named by its own unguessable id.

``GET /api/v1/handoffs/events`` is a stream of Server-Sent Events: every change on the agent's desks
(a citizen's message, a handoff queued, claimed, transferred or ended), as a hint to refresh.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any, TypeVar

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.api.auth import account_of, actor_of, require_key
from bot.api.bodies import parse_json
from bot.api.errors import ApiError, InvalidInput
from bot.api.handoff_schema import END_SCHEMA, REPLY_SCHEMA, TRANSFER_SCHEMA, body_errors
from bot.auth.roles import Permission
from bot.catalogue.bundle import Catalogues
from bot.handoff.inbox import MAX_NOTE, MAX_REPLY, Inbox
from bot.handoff.model import EndReason, Handoff, Status
from bot.handoff.service import Agent
from bot.handoff.store import Conflict

T = TypeVar("T")
#: Largest body of an inbox request (a reply of MAX_REPLY characters, escaped, fits many times).
MAX_BODY = 16_384
#: A conversation's messages, oldest first ({"from": "user"|"bot", "text": ...}); raises on failure.
Transcript = Callable[[str], Awaitable[list[dict[str, Any]]]]
#: The live events of some desks (None: nothing for a while, send a heartbeat).
Listen = Callable[[Iterable[str]], AsyncIterator[dict[str, Any] | None]]


class TranscriptUnavailable(Exception):
    """The conversation could not be read from Rasa."""


def agent_of(request: Request) -> Agent:
    """The agent an authenticated key belongs to."""
    actor = actor_of(request)
    return Agent(actor.person_id, actor.desks)


async def _do(function: Callable[..., T], *args: Any) -> T:
    """Run an inbox operation in a thread; an unknown handoff is 404, a lost race 409."""
    try:
        return await asyncio.to_thread(function, *args)
    except KeyError as error:
        raise ApiError(404, f"no handoff {error.args[0] if error.args else ''}".strip()) from None
    except Conflict as error:
        raise ApiError(409, str(error) or "someone else changed this handoff first") from None


def _body(request: Request, schema: dict[str, Any]) -> dict[str, Any]:
    """The act's body, checked against its schema (limits before work: the size first)."""
    raw = request.body or b""
    if len(raw) > MAX_BODY:
        raise ApiError(413, f"the body is larger than {MAX_BODY} bytes")
    body = parse_json(raw or b"{}")
    problem = body_errors(schema, body)
    if problem:
        raise InvalidInput(problem)
    return dict(body)


def _text(body: dict[str, Any], name: str, limit: int, required: bool) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a string")
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{name} is required")
    if len(value) > limit:
        raise InvalidInput(f"{name} is longer than {limit} characters")
    return value


def create_handoffs_blueprint(
    inbox: Callable[[], Inbox],
    catalogues: Callable[[], Catalogues],
    transcript: Transcript,
    redact: Callable[[str], str],
    listen: Listen,
) -> Blueprint:
    """The inbox routes; every one requires an agent key."""
    bp = Blueprint("handoffs", url_prefix="/api/v1/handoffs")
    require_key(bp, Permission.ANSWER_CITIZENS)

    def handoff_json(handoff: Handoff, agent: Agent, position: int | None = None) -> dict[str, Any]:
        holder = handoff.status is Status.CLAIMED and handoff.agent == agent.person

        def note(text: object) -> str:
            return str(text or "") if holder else redact(str(text or ""))

        notes = [
            {
                "at": e.at.isoformat(),
                "by": e.actor,
                "from": e.detail.get("from"),
                "to": e.detail.get("to"),
                "note": note(e.detail.get("note")),
            }
            for e in handoff.events
            if e.kind == "transferred"
        ]
        return {
            "id": handoff.handoff_id,
            "desk": handoff.desk,
            "status": handoff.status.value,
            "language": handoff.language,
            "channel": handoff.channel,
            "trigger": handoff.trigger.value,
            "urgent": handoff.urgent,
            "distress": handoff.distress,
            "agent": handoff.agent,
            "mine": holder,
            "requested_at": handoff.requested_at.isoformat(),
            "claimed_at": handoff.claimed_at.isoformat() if handoff.claimed_at else None,
            "waited_seconds": inbox().waited_seconds(handoff),
            "position": position,
            "end_reason": handoff.end_reason.value if handoff.end_reason else None,
            "notes": notes,
        }

    @bp.get("/me")
    async def me(request: Request) -> HTTPResponse:
        """Who the key belongs to, and the desks it answers for (the inbox page signs in with it)."""
        actor = actor_of(request)
        return response.json(
            {
                **account_of(actor),
                "person": actor.person_id,
                "desks": sorted(actor.desks),
                "all_desks": await asyncio.to_thread(inbox().desks),
            }
        )

    @bp.get("/")
    async def queues(request: Request) -> HTTPResponse:
        """Waiting (first in line first), mine, and everything the desks' people hold."""
        agent = agent_of(request)
        desk = request.args.get("desk")
        found = await _do(inbox().queues, agent, frozenset({desk}) if desk else None)
        return response.json(
            {
                "waiting": [handoff_json(h, agent, i) for i, h in enumerate(found.waiting, 1)],
                "mine": [handoff_json(h, agent) for h in found.mine],
                "held": [handoff_json(h, agent) for h in found.held],
            }
        )

    @bp.get("/canned")
    async def canned(_: Request) -> HTTPResponse:
        """The canned answers in every language (the page offers those of the citizen's)."""
        answers = catalogues().canned_answers
        return response.json(
            {
                "answers": {
                    code: [{"id": answer_id, "text": text} for answer_id, text in answers.in_language(code)]
                    for code in catalogues().languages.codes
                }
            }
        )

    @bp.get("/events")
    async def events(request: Request) -> HTTPResponse | None:
        """Server-Sent Events of the agent's desks until the page goes away."""
        agent = agent_of(request)
        stream = await request.respond(
            content_type="text/event-stream; charset=utf-8",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )
        await stream.send(": connected\nretry: 2000\n\n")
        async for event in listen(sorted(agent.desks)):
            if event is None:
                await stream.send(": still here\n\n")
            else:
                kind = str(event.get("kind") or "change")
                await stream.send(f"event: {kind}\ndata: {json.dumps(event)}\n\n")
        return None

    @bp.get("/<handoff_id:str>")
    async def read(request: Request, handoff_id: str) -> HTTPResponse:
        agent = agent_of(request)
        found, _ = await _do(inbox().read, agent, handoff_id)
        return response.json(handoff_json(found, agent))

    @bp.get("/<handoff_id:str>/conversation")
    async def conversation(request: Request, handoff_id: str) -> HTTPResponse:
        """The conversation so far, with the assistant's replies; redacted unless the agent holds it."""
        agent = agent_of(request)
        found, holder = await _do(inbox().read, agent, handoff_id)
        try:
            messages = await transcript(found.conversation_id)
        except TranscriptUnavailable:
            raise ApiError(503, "the conversation cannot be read now; try again shortly") from None
        if not holder:
            texts = await asyncio.to_thread(lambda: [redact(str(m.get("text") or "")) for m in messages])
            messages = [{**m, "text": text} for m, text in zip(messages, texts, strict=True)]
        return response.json(
            {"handoff": handoff_json(found, agent), "redacted": not holder, "messages": messages}
        )

    @bp.post("/<handoff_id:str>/claim")
    async def claim(request: Request, handoff_id: str) -> HTTPResponse:
        """Take a waiting conversation (409 when another person took it first)."""
        agent = agent_of(request)
        claimed = await _do(inbox().claim, agent, handoff_id)
        return response.json(handoff_json(claimed, agent))

    @bp.post("/<handoff_id:str>/reply")
    async def reply(request: Request, handoff_id: str) -> HTTPResponse:
        """Write to the citizen of a conversation the agent holds."""
        agent = agent_of(request)
        text = _text(_body(request, REPLY_SCHEMA), "text", MAX_REPLY, required=True)
        sent = await _do(inbox().reply, agent, handoff_id, text)
        return response.json({"handoff": handoff_json(sent.handoff, agent), "delivered": sent.woken})

    @bp.post("/<handoff_id:str>/transfer")
    async def transfer(request: Request, handoff_id: str) -> HTTPResponse:
        """Send the conversation to another desk's queue, with a note for the next person."""
        agent = agent_of(request)
        body = _body(request, TRANSFER_SCHEMA)
        desk = _text(body, "desk", 100, required=True)
        note = _text(body, "note", MAX_NOTE, required=False)
        if desk not in await asyncio.to_thread(inbox().desks):
            raise InvalidInput(f"desk must be one of {await asyncio.to_thread(inbox().desks)}")
        moved = await _do(inbox().transfer, agent, handoff_id, desk, note)
        return response.json(handoff_json(moved, agent))

    @bp.post("/<handoff_id:str>/end")
    async def end(request: Request, handoff_id: str) -> HTTPResponse:
        """End a conversation the agent holds, with a reason code."""
        agent = agent_of(request)
        reason = _body(request, END_SCHEMA)["reason"]
        ended = await _do(inbox().end, agent, handoff_id, EndReason(reason))
        return response.json(handoff_json(ended, agent))

    return bp
