"""Handing a conversation to a person, and everything a desk's people do with it.

The rules live here, not in the inbox page or the actions: who may claim (a person of the handoff's
desk), that one person holds a conversation at a time, what a transfer keeps (the citizen's place by
the time they first asked), when a citizen may rate (after an end), and what a citizen is told of the
wait (their place in the queue and an estimate from the desk's recent handling times).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.auth.roles import Forbidden
from bot.handoff.desks import Desk, DeskDirectory
from bot.handoff.distress import DistressKind
from bot.handoff.model import EndReason, Handoff, Status, Trigger, new_handoff_id
from bot.handoff.store import Conflict, HandoffStore

#: Assumed handling time of one conversation while a desk has no history yet.
DEFAULT_HANDLING = timedelta(minutes=5)
#: How long after a person ended a handoff its citizen's rating (and comment) may still come by SMS
#: to a conversation of another channel (:meth:`HandoffService.in_progress`).
RATING_WINDOW = timedelta(hours=1)
#: How many of a desk's recent handoffs the estimate of the wait is based on.
RECENT = 50


class NotYourDesk(Forbidden):
    """The person is not on the handoff's desk."""


class AlreadyTaken(Conflict):
    """Another person claimed the conversation first."""


@dataclass(frozen=True)
class Agent:
    """A person answering citizens: their id and the desks they work on."""

    person: str
    desks: frozenset[str]


@dataclass(frozen=True)
class PlaceChange:
    """A waiting citizen's new place in the queue, to tell them."""

    handoff: Handoff
    position: int
    expected_wait: timedelta


@dataclass(frozen=True)
class Ticket:
    """What a citizen who asked for a person is told, and who else must be told of it."""

    handoff: Handoff
    open: bool
    position: int | None
    expected_wait: timedelta | None
    next_opening: datetime | None
    #: The others waiting whose place this request changed (someone in danger went before them).
    moved: tuple[PlaceChange, ...] = ()


def _new(
    conversation_id: str,
    channel: str,
    language: str,
    desk: Desk,
    trigger: Trigger,
    now: datetime,
    status: Status = Status.WAITING,
    distress: DistressKind | None = None,
) -> Handoff:
    return Handoff(
        handoff_id=new_handoff_id(),
        conversation_id=conversation_id,
        channel=channel,
        language=language,
        desk=desk.desk_id,
        trigger=trigger,
        requested_at=now,
        status=status,
        distress=distress.value if distress else None,
    )


class HandoffService:
    """Handoffs over a store, the desks and a clock."""

    def __init__(
        self,
        store: HandoffStore,
        desks: Callable[[], DeskDirectory],
        now: Callable[[], datetime],
        retention: timedelta,
        redact: Callable[[str], str] = str,
    ) -> None:
        self._store = store
        self._redact = redact  #: a rating's comment is stored without personal data
        self._desks = desks
        self._now = now
        self._ttl = int(retention.total_seconds())

    # The citizen's side ---------------------------------------------------------------------------

    def active(self, conversation_id: str) -> Handoff | None:
        """The conversation's waiting or held handoff: while held, the assistant stays silent."""
        return self._store.active_for(conversation_id)

    def held(self, conversation_id: str) -> bool:
        """Whether a person holds the conversation now."""
        found = self.active(conversation_id)
        return found is not None and found.status is Status.CLAIMED

    def in_progress(self, conversation_id: str) -> bool:
        """Whether the conversation's citizen is in the middle of a handoff: waiting, held, or ended by
        a person less than :data:`RATING_WINDOW` ago with the rating or its comment still to come.

        A USSD citizen answers by SMS: while this holds, their SMS belong to this conversation."""
        if self.active(conversation_id) is not None:
            return True
        ended = self._store.awaiting_rating(conversation_id)
        if ended is None or ended.end_reason is None or ended.ended_at is None:  # the citizen left
            return False
        if self._now() - ended.ended_at > RATING_WINDOW:
            return False
        return sum(1 for event in ended.events if event.kind == "rated") < 2  # score, then comment

    def ask(
        self,
        conversation_id: str,
        channel: str,
        language: str,
        trigger: Trigger,
        topic: str | None = None,
        distress: DistressKind | None = None,
    ) -> Ticket:
        """Hand the conversation over (or report on the handoff it already has)."""
        now = self._now()
        directory = self._desks()
        desk = directory.for_topic(topic)
        if distress is not None:
            desk = directory.open_for_urgent(desk, now)
        if not desk.is_open(now) and distress is None:
            return Ticket(
                handoff=self._closed(conversation_id, channel, language, desk, trigger, now),
                open=False,
                position=None,
                expected_wait=None,
                next_opening=desk.next_opening(now),
            )
        before: dict[str, int] = {}
        if distress is not None:
            trigger = Trigger.DISTRESS
            before = self._store.order(desk.desk_id)
        handoff = _new(conversation_id, channel, language, desk, trigger, now, distress=distress).with_event(
            "requested", now, "citizen", detail={"trigger": trigger, "desk": desk.desk_id}
        )
        stored = self._store.add(handoff, self._ttl)
        if distress is not None and not stored.urgent and stored.status is Status.WAITING:
            # already waiting, and now in danger: to the front of the queue
            stored = self._store.change(
                stored.handoff_id,
                lambda h: h.with_event(
                    "escalated",
                    now,
                    "citizen",
                    trigger=Trigger.DISTRESS,
                    distress=distress.value,
                    detail={"distress": distress},
                ),
                {Status.WAITING},
                self._ttl,
            )
        ticket = self.ticket(stored)
        if distress is None or stored.status is not Status.WAITING:
            return ticket
        return replace(ticket, moved=self._moved(desk.desk_id, before, stored.handoff_id))

    def _moved(self, desk: str, before: dict[str, int], mover: str) -> tuple[PlaceChange, ...]:
        """The waiting citizens (other than ``mover``) whose place is not what it was ``before``."""
        return tuple(
            change
            for change in self.places(desk)
            if change.handoff.handoff_id != mover and before.get(change.handoff.handoff_id) != change.position
        )

    def _closed(
        self, conversation_id: str, channel: str, language: str, desk: Desk, trigger: Trigger, now: datetime
    ) -> Handoff:
        """A handoff that never queued: the desk is closed (the citizen may leave a message)."""
        handoff = _new(conversation_id, channel, language, desk, trigger, now, status=Status.ABANDONED)
        return handoff.with_event("closed", now, "assistant", detail={"desk": desk.desk_id})

    def ticket(self, handoff: Handoff) -> Ticket:
        """Where a handoff stands, as the citizen is told."""
        position = self._store.position(handoff) if handoff.status is Status.WAITING else None
        return Ticket(
            handoff=handoff,
            open=True,
            position=position,
            expected_wait=self.expected_wait(handoff.desk, position) if position else None,
            next_opening=None,
        )

    def leave(self, conversation_id: str) -> Handoff | None:
        """The citizen left or stopped before a person came (STOP, delete my data, "cancel")."""
        found = self.active(conversation_id)
        if found is None:
            return None
        if found.status is Status.CLAIMED:
            return self._store.change(
                found.handoff_id,
                lambda h: h.with_event(
                    "ended", self._now(), "citizen", status=Status.ENDED, ended_at=self._now()
                ),
                {Status.CLAIMED},
                self._ttl,
            )
        return self._store.change(
            found.handoff_id,
            lambda h: h.with_event(
                "abandoned", self._now(), "citizen", status=Status.ABANDONED, ended_at=self._now()
            ),
            {Status.WAITING},
            self._ttl,
        )

    def rate(self, handoff_id: str, conversation_id: str, score: int, comment: str = "") -> Handoff:
        """The citizen's rating (1-5) of an ended handoff of their own conversation."""
        if not 1 <= score <= 5:
            raise ValueError("a rating is 1 to 5")
        found = self._store.get(handoff_id)
        if found is None or found.conversation_id != conversation_id:
            raise KeyError(handoff_id)
        return self._store.change(
            handoff_id,
            lambda h: h.with_event(
                "rated", self._now(), "citizen", rating=score, comment=self._redact(comment[:500])[:500]
            ),
            {Status.ENDED},
            self._ttl,
        )

    # The desk's side ------------------------------------------------------------------------------

    def _own(self, agent: Agent, handoff_id: str) -> Handoff:
        found = self._store.get(handoff_id)
        if found is None:
            raise KeyError(handoff_id)
        if found.desk not in agent.desks:
            raise NotYourDesk(f"{agent.person} is not on desk {found.desk}")
        return found

    def get(self, agent: Agent, handoff_id: str) -> Handoff:
        """A handoff of one of the agent's desks (KeyError if none, NotYourDesk if another desk's)."""
        return self._own(agent, handoff_id)

    def desks(self) -> DeskDirectory:
        """Every desk (where a conversation may be transferred)."""
        return self._desks()

    def waiting(self, agent: Agent, desk: str) -> list[Handoff]:
        """A desk's queue, for a person of that desk."""
        if desk not in agent.desks:
            raise NotYourDesk(f"{agent.person} is not on desk {desk}")
        return self._store.waiting(desk)

    def held_by_desk(self, agent: Agent, desk: str) -> list[Handoff]:
        """What the desk's people hold now."""
        if desk not in agent.desks:
            raise NotYourDesk(f"{agent.person} is not on desk {desk}")
        return self._store.claimed(desk)

    def claim(self, agent: Agent, handoff_id: str) -> tuple[Handoff, list[PlaceChange]]:
        """Take a waiting conversation; those behind it move up (and are told their new place)."""
        found = self._own(agent, handoff_id)
        before = self._store.order(found.desk)
        now = self._now()
        try:
            claimed = self._store.change(
                handoff_id,
                lambda h: h.with_event(
                    "claimed", now, agent.person, status=Status.CLAIMED, agent=agent.person, claimed_at=now
                ),
                {Status.WAITING},
                self._ttl,
            )
        except Conflict as error:
            raise AlreadyTaken(str(error)) from error
        return claimed, list(self._moved(found.desk, before, handoff_id))

    def transfer(
        self, agent: Agent, handoff_id: str, desk: str, note: str
    ) -> tuple[Handoff, list[PlaceChange]]:
        """Send a held conversation to another desk's queue, with a note for the next person; it keeps
        the time the citizen first asked, so the citizen does not start again at the back."""
        found = self._own(agent, handoff_id)
        self._desks().get(desk)  # KeyError for an unknown desk
        moved = self._store.change(
            handoff_id,
            lambda h: h.with_event(
                "transferred",
                self._now(),
                agent.person,
                status=Status.WAITING,
                desk=desk,
                agent=None,
                claimed_at=None,
                detail={"from": found.desk, "to": desk, "note": note[:1000]},
            ),
            {Status.CLAIMED, Status.WAITING},
            self._ttl,
        )
        return moved, self.places(desk)

    def end(self, agent: Agent, handoff_id: str, reason: EndReason) -> Handoff:
        """The person ends the conversation; the assistant is back (and asks for a rating)."""
        found = self._own(agent, handoff_id)
        if found.agent != agent.person:
            raise NotYourDesk(f"{agent.person} does not hold {handoff_id}")
        now = self._now()
        ended = self._store.change(
            handoff_id,
            lambda h: h.with_event(
                "ended",
                now,
                agent.person,
                status=Status.ENDED,
                ended_at=now,
                end_reason=reason,
                detail={"reason": reason},
            ),
            {Status.CLAIMED},
            self._ttl,
        )
        self._store.await_rating(ended, int(RATING_WINDOW.total_seconds()))
        return ended

    def may_reply(self, agent: Agent, handoff_id: str) -> Handoff:
        """The handoff, if ``agent`` holds it (only the holder writes to the citizen)."""
        found = self._own(agent, handoff_id)
        if found.status is not Status.CLAIMED or found.agent != agent.person:
            raise NotYourDesk(f"{agent.person} does not hold {handoff_id}")
        return found

    # Records -------------------------------------------------------------------------------------

    def asked_since(self, since: datetime) -> list[Handoff]:
        """Every handoff asked at or after ``since``, oldest first (the figures and their CSV)."""
        return self._store.asked_since(since)

    def forget_before(self, moment: datetime) -> int:
        """Retention: the handoffs asked before ``moment`` go, with their events; how many."""
        return self._store.forget_before(moment, self._desks().desks)

    # The wait -------------------------------------------------------------------------------------

    def places(self, desk: str) -> list[PlaceChange]:
        """Every waiting citizen of ``desk`` with their place now."""
        return [
            PlaceChange(h, i, self.expected_wait(desk, i)) for i, h in enumerate(self._store.waiting(desk), 1)
        ]

    def expected_wait(self, desk: str, position: int) -> timedelta:
        """``position`` × the median handling time of the desk's recent handoffs, shared among the
        people holding conversations now (at least one)."""
        since = self._now() - timedelta(days=7)
        recent = [h for h in self._store.asked_since(since) if h.desk == desk and h.claimed_at and h.ended_at]
        durations = [(h.ended_at - h.claimed_at).total_seconds() for h in recent[-RECENT:]]  # type: ignore[operator]
        handling = timedelta(seconds=statistics.median(durations)) if durations else DEFAULT_HANDLING
        people = max(1, len({h.agent for h in self._store.claimed(desk)}))
        return handling * position / people
