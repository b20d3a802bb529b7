"""What a desk's people do in the inbox, with what the citizen and the other screens must hear of it.

:class:`~bot.handoff.service.HandoffService` holds the rules (who may claim, transfer, end); this
room adds the consequences of each act an agent does: the citizen's notice filed and their
conversation woken (:class:`~bot.handoff.notify.HandoffNotifier`), the citizens still waiting told
their new place, and the desk's open inbox pages told to refresh. It is synchronous (the relay calls
Rasa with ``requests``): the API runs it in a thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.handoff.model import EndReason, Handoff, Status
from bot.handoff.notify import HandoffNotifier
from bot.handoff.relay import CitizenNotice, NoticeKind
from bot.handoff.service import Agent, HandoffService, NotYourDesk

#: Longest reply an agent sends at once (an SMS citizen gets it in several parts).
MAX_REPLY = 1000
#: Longest transfer note.
MAX_NOTE = 1000


@dataclass(frozen=True)
class Queues:
    """What an agent's inbox lists: the desks' queues, what the agent holds, what the desks hold."""

    waiting: list[Handoff]
    mine: list[Handoff]
    held: list[Handoff]  #: held by anyone of the agent's desks (the agent's own included)


@dataclass(frozen=True)
class Reply:
    """An agent's reply, filed: ``woken`` says whether the conversation said it at once (else it is
    said at the citizen's next turn or the next wake)."""

    handoff: Handoff
    woken: bool


class Inbox:
    """The agents' side of handoffs."""

    def __init__(
        self, handoffs: HandoffService, notifier: HandoffNotifier, now: Callable[[], datetime]
    ) -> None:
        self._handoffs = handoffs
        self._notifier = notifier
        self._now = now

    def queues(self, agent: Agent, desks: frozenset[str] | None = None) -> Queues:
        """The queues of ``desks`` (all of the agent's when None), first in line first."""
        chosen = sorted(agent.desks if desks is None else desks)
        waiting: list[Handoff] = []
        held: list[Handoff] = []
        for desk in chosen:
            waiting += self._handoffs.waiting(agent, desk)
            held += self._handoffs.held_by_desk(agent, desk)
        waiting.sort(key=lambda h: (not h.urgent, h.requested_at))
        held.sort(key=lambda h: h.claimed_at or h.requested_at)
        return Queues(waiting=waiting, mine=[h for h in held if h.agent == agent.person], held=held)

    def desks(self) -> list[str]:
        """Every desk's id (a conversation may be transferred to any)."""
        return list(self._handoffs.desks().desks)

    def read(self, agent: Agent, handoff_id: str) -> tuple[Handoff, bool]:
        """A handoff of the agent's desks, and whether the agent holds it (and so reads personal data)."""
        found = self._handoffs.get(agent, handoff_id)
        return found, found.status is Status.CLAIMED and found.agent == agent.person

    def claim(self, agent: Agent, handoff_id: str) -> Handoff:
        """Take the conversation: the citizen hears a person is there, the others waiting move up."""
        claimed, places = self._handoffs.claim(agent, handoff_id)
        self._notifier.tell(claimed, CitizenNotice(NoticeKind.CLAIMED, claimed.handoff_id))
        self._notifier.desk_event(claimed, "claimed")
        self._notifier.tell_places(places)
        return claimed

    def reply(self, agent: Agent, handoff_id: str, text: str) -> Reply:
        """Say ``text`` to the citizen of a conversation the agent holds."""
        held = self._handoffs.may_reply(agent, handoff_id)
        woken = self._notifier.tell(held, CitizenNotice(NoticeKind.AGENT_REPLY, held.handoff_id, text=text))
        self._notifier.desk_event(held, "agent_reply")
        return Reply(held, woken)

    def transfer(self, agent: Agent, handoff_id: str, desk: str, note: str) -> Handoff:
        """Send the conversation to ``desk``'s queue with a note; the citizen hears their new place."""
        before = self._handoffs.get(agent, handoff_id)
        if before.status is Status.CLAIMED and before.agent != agent.person:
            raise NotYourDesk(f"{agent.person} does not hold {handoff_id}")
        moved, places = self._handoffs.transfer(agent, handoff_id, desk, note)
        place = next((p for p in places if p.handoff.handoff_id == moved.handoff_id), None)
        self._notifier.tell(
            moved,
            CitizenNotice(
                NoticeKind.TRANSFERRED,
                moved.handoff_id,
                position=place.position if place else None,
                expected_wait_seconds=int(place.expected_wait.total_seconds()) if place else None,
            ),
        )
        self._notifier.tell_places(p for p in places if p.handoff.handoff_id != moved.handoff_id)
        if before.desk != moved.desk:
            self._notifier.desk_event(before, "transferred")
            if before.status is Status.WAITING:  # it left the old queue: those behind it move up
                self._notifier.tell_places(self._handoffs.places(before.desk))
        self._notifier.desk_event(moved, "transferred")
        return moved

    def end(self, agent: Agent, handoff_id: str, reason: EndReason) -> Handoff:
        """End the conversation the agent holds: the assistant is back and asks for a rating."""
        ended = self._handoffs.end(agent, handoff_id, reason)
        self._notifier.tell(ended, CitizenNotice(NoticeKind.ENDED, ended.handoff_id))
        self._notifier.desk_event(ended, "ended")
        return ended

    def waited_seconds(self, handoff: Handoff) -> int:
        """How long the citizen has waited: since they asked, until a person came (or now)."""
        until = (
            handoff.claimed_at if handoff.status is not Status.WAITING and handoff.claimed_at else self._now()
        )
        return max(0, int((until - handoff.requested_at).total_seconds()))
