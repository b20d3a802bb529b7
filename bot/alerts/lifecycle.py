"""The life of an alert, enforced in one place: the transition table and who may make each move.

::

    draft ──submit──▶ pending_approval ──approve──▶ sending ──finish──▶ sent
      │                    │                          │                 │
      └──cancel──▶ cancelled ◀──cancel────────────────┴─────────────────┘
                                 sending/sent ──supersede──▶ superseded   (an Update was approved)
                                 sending/sent ──expire─────▶ expired

``submit`` goes straight on to ``sending`` when the ministry does not require a second approval
(the submission is the approval). When it does, the approver must be another person than the
submitter (the person holding the key: one person with two keys still cannot approve alone).
``finish``, ``supersede`` and ``expire`` are made by the system, not by API keys.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from enum import Enum

from bot.auth.roles import Actor, Forbidden, Permission


class Status(str, Enum):
    """Where an alert is in its life."""

    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"


class Move(str, Enum):
    """A change of status."""

    SUBMIT = "submit"
    APPROVE = "approve"
    FINISH = "finish"
    CANCEL = "cancel"
    SUPERSEDE = "supersede"
    EXPIRE = "expire"


#: (from, move) -> to. Anything not listed is refused.
TRANSITIONS: dict[tuple[Status, Move], Status] = {
    (Status.DRAFT, Move.SUBMIT): Status.PENDING_APPROVAL,
    (Status.PENDING_APPROVAL, Move.APPROVE): Status.SENDING,
    (Status.SENDING, Move.FINISH): Status.SENT,
    (Status.DRAFT, Move.CANCEL): Status.CANCELLED,
    (Status.PENDING_APPROVAL, Move.CANCEL): Status.CANCELLED,
    (Status.SENDING, Move.CANCEL): Status.CANCELLED,
    (Status.SENT, Move.CANCEL): Status.CANCELLED,
    (Status.SENDING, Move.SUPERSEDE): Status.SUPERSEDED,
    (Status.SENT, Move.SUPERSEDE): Status.SUPERSEDED,
    (Status.SENDING, Move.EXPIRE): Status.EXPIRED,
    (Status.SENT, Move.EXPIRE): Status.EXPIRED,
}

#: The permission a key needs for each move; moves without an entry are made by the system only.
MOVE_PERMISSIONS: dict[Move, Permission] = {
    Move.SUBMIT: Permission.WRITE,
    Move.APPROVE: Permission.APPROVE,
    Move.CANCEL: Permission.CANCEL,
}

#: Statuses in which citizens may be receiving or reading the alert.
LIVE = frozenset({Status.SENDING, Status.SENT})
FINAL = frozenset({Status.CANCELLED, Status.SUPERSEDED, Status.EXPIRED})


#: The moment a trial move is stamped with (:meth:`Lifecycle.allowed_moves`; never stored).
_TRIAL = datetime(2000, 1, 1, tzinfo=timezone.utc)


class TransitionError(ValueError):
    """A move the alert's status does not allow (HTTP 409)."""


class NotAllowed(Forbidden):
    """A move the actor may not make (HTTP 403)."""


@dataclass(frozen=True)
class HistoryEntry:
    """One change of status: who, when, from, to, and an optional note."""

    move: Move
    actor: str  #: API key id, or "system"
    at: datetime
    from_status: Status
    to_status: Status
    note: str = ""
    person: str = ""  #: who held the key (see :attr:`Actor.person_id`); "" for the system


@dataclass(frozen=True)
class Lifecycle:
    """The status of an alert and how it got there."""

    status: Status
    history: tuple[HistoryEntry, ...] = ()
    submitted_by: str = ""
    approved_by: str = ""
    #: The persons who submitted and approved (records made before persons were kept: "").
    submitted_by_person: str = ""
    approved_by_person: str = ""

    def same_person_as_submitter(self, actor: Actor) -> bool:
        """Whether ``actor`` is the person who submitted (by key when no person was recorded)."""
        if self.submitted_by_person:
            return actor.person_id == self.submitted_by_person
        return actor.key_id == self.submitted_by

    def next_status(self, move: Move) -> Status:
        """The status ``move`` leads to; :class:`TransitionError` if it is not allowed now."""
        target = TRANSITIONS.get((self.status, move))
        if target is None:
            allowed = sorted(m.value for (s, m) in TRANSITIONS if s == self.status and m in MOVE_PERMISSIONS)
            raise TransitionError(
                f"cannot {move.value} an alert that is {self.status.value}"
                + (f"; possible now: {', '.join(allowed)}" if allowed else "; it can no longer change")
            )
        return target

    def apply(
        self,
        move: Move,
        actor: Actor | None,
        at: datetime,
        *,
        second_approval: bool = False,
        note: str = "",
    ) -> Lifecycle:
        """The lifecycle after ``move`` by ``actor`` (None: the system).

        Raises :class:`NotAllowed` when the actor's role lacks the permission, or when they would
        approve their own submission where the ministry requires a second person.
        """
        if actor is None:
            if move in MOVE_PERMISSIONS:
                raise NotAllowed(f"{move.value} must be made by a person")
        else:
            needed = MOVE_PERMISSIONS.get(move)
            if needed is None or not actor.may(needed):
                raise NotAllowed(f"the {actor.role.value} role may not {move.value} alerts")
        target = self.next_status(move)
        if (
            actor is not None
            and move is Move.APPROVE
            and second_approval
            and self.same_person_as_submitter(actor)
        ):
            raise NotAllowed(
                "this ministry requires a second person: you cannot approve an alert you submitted"
            )
        who = actor.key_id if actor else "system"
        person = actor.person_id if actor else ""
        entry = HistoryEntry(
            move=move, actor=who, at=at, from_status=self.status, to_status=target, note=note, person=person
        )
        changed = replace(self, status=target, history=(*self.history, entry))
        if move is Move.SUBMIT:
            changed = replace(changed, submitted_by=who, submitted_by_person=person)
        if move is Move.APPROVE:
            changed = replace(changed, approved_by=who, approved_by_person=person)
        return changed

    def allowed_moves(self, actor: Actor, *, second_approval: bool) -> tuple[Move, ...]:
        """The moves ``actor`` may make now, in the order of :data:`MOVE_PERMISSIONS`: each is tried
        with :meth:`apply`, so what the console offers is exactly what the tables above allow."""
        allowed = []
        for move in MOVE_PERMISSIONS:
            try:
                self.apply(move, actor, _TRIAL, second_approval=second_approval)
            except (TransitionError, NotAllowed):
                continue
            allowed.append(move)
        return tuple(allowed)

    def submit(self, actor: Actor, at: datetime, *, second_approval: bool) -> Lifecycle:
        """Submit; without a second-approval rule the submission also approves (and starts sending)."""
        submitted = self.apply(Move.SUBMIT, actor, at)
        if second_approval:
            return submitted
        # The author's own submission is the approval here: recorded as such, by the same person.
        target = submitted.next_status(Move.APPROVE)
        entry = HistoryEntry(
            Move.APPROVE,
            actor.key_id,
            at,
            submitted.status,
            target,
            "no second approval required",
            person=actor.person_id,
        )
        return replace(
            submitted,
            status=target,
            approved_by=actor.key_id,
            approved_by_person=actor.person_id,
            history=(*submitted.history, entry),
        )
