"""The transition table and who may make each move."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.alerts.lifecycle import TRANSITIONS, Lifecycle, Move, NotAllowed, Status, TransitionError
from bot.auth.roles import Actor, Role

NOW = datetime(2026, 11, 29, tzinfo=timezone.utc)
AUTHOR = Actor("k-author", "health", Role.AUTHOR)
APPROVER = Actor("k-approver", "health", Role.APPROVER)
ANALYST = Actor("k-analyst", "health", Role.ANALYST)


def test_second_approval_path_records_who_did_what() -> None:
    pending = Lifecycle(Status.DRAFT).submit(AUTHOR, NOW, second_approval=True)
    assert pending.status is Status.PENDING_APPROVAL
    live = pending.apply(Move.APPROVE, APPROVER, NOW, second_approval=True)
    assert (live.status, live.submitted_by, live.approved_by) == (Status.SENDING, "k-author", "k-approver")
    assert [(e.move, e.from_status, e.to_status) for e in live.history] == [
        (Move.SUBMIT, Status.DRAFT, Status.PENDING_APPROVAL),
        (Move.APPROVE, Status.PENDING_APPROVAL, Status.SENDING),
    ]


def test_without_second_approval_the_submission_sends() -> None:
    live = Lifecycle(Status.DRAFT).submit(AUTHOR, NOW, second_approval=False)
    assert (live.status, live.approved_by) == (Status.SENDING, "k-author")


def test_submitter_cannot_approve_their_own_alert_where_a_second_person_is_required() -> None:
    admin = Actor("k-admin", "health", Role.ADMIN)
    pending = Lifecycle(Status.DRAFT).submit(admin, NOW, second_approval=True)
    with pytest.raises(NotAllowed, match="cannot approve an alert you submitted"):
        pending.apply(Move.APPROVE, admin, NOW, second_approval=True)


def test_one_person_holding_two_keys_cannot_approve_alone_and_the_audit_names_both() -> None:
    laptop = Actor("k-laptop", "health", Role.AUTHOR, "A. Mwangi", person="MOH-42")
    phone = Actor("k-phone", "health", Role.APPROVER, "A. Mwangi", person="MOH-42")
    colleague = Actor("k-colleague", "health", Role.APPROVER, "B. Otieno", person="MOH-77")
    pending = Lifecycle(Status.DRAFT).submit(laptop, NOW, second_approval=True)
    with pytest.raises(NotAllowed, match="requires a second person"):
        pending.apply(Move.APPROVE, phone, NOW, second_approval=True)
    live = pending.apply(Move.APPROVE, colleague, NOW, second_approval=True)
    assert (live.submitted_by, live.submitted_by_person) == ("k-laptop", "MOH-42")
    assert (live.approved_by, live.approved_by_person) == ("k-colleague", "MOH-77")
    assert [(e.actor, e.person) for e in live.history] == [("k-laptop", "MOH-42"), ("k-colleague", "MOH-77")]


def test_records_without_persons_still_compare_keys() -> None:
    old = Lifecycle(Status.PENDING_APPROVAL, submitted_by="k-approver")
    with pytest.raises(NotAllowed, match="second person"):
        old.apply(Move.APPROVE, APPROVER, NOW, second_approval=True)
    assert old.apply(Move.APPROVE, Actor("k-other", "health", Role.APPROVER), NOW, second_approval=True)


@pytest.mark.parametrize(
    ("actor", "move"), [(AUTHOR, Move.APPROVE), (ANALYST, Move.SUBMIT), (ANALYST, Move.CANCEL)]
)
def test_roles_without_the_permission_are_refused(actor: Actor, move: Move) -> None:
    start = Status.PENDING_APPROVAL if move is Move.APPROVE else Status.DRAFT
    with pytest.raises(NotAllowed, match=f"the {actor.role.value} role may not {move.value}"):
        Lifecycle(start, submitted_by="someone").apply(move, actor, NOW, second_approval=True)


def test_moves_not_in_the_table_are_refused_with_what_is_possible() -> None:
    with pytest.raises(
        TransitionError, match="cannot approve an alert that is draft; possible now: cancel, submit"
    ):
        Lifecycle(Status.DRAFT).apply(Move.APPROVE, APPROVER, NOW)
    with pytest.raises(TransitionError, match="it can no longer change"):
        Lifecycle(Status.CANCELLED).apply(Move.CANCEL, APPROVER, NOW)


def test_system_moves_cannot_be_made_by_keys_and_final_states_are_final() -> None:
    with pytest.raises(NotAllowed):
        Lifecycle(Status.SENDING).apply(Move.FINISH, APPROVER, NOW)
    assert Lifecycle(Status.SENDING).apply(Move.FINISH, None, NOW).status is Status.SENT
    for final in (Status.CANCELLED, Status.SUPERSEDED, Status.EXPIRED):
        assert not [move for (status, move) in TRANSITIONS if status is final]


def test_the_moves_offered_are_the_ones_the_tables_allow_the_key() -> None:
    draft = Lifecycle(Status.DRAFT)
    assert draft.allowed_moves(AUTHOR, second_approval=True) == (Move.SUBMIT, Move.CANCEL)
    pending = draft.submit(AUTHOR, NOW, second_approval=True)
    # the author's role may not approve; the approver may, and either may cancel
    assert pending.allowed_moves(AUTHOR, second_approval=True) == (Move.CANCEL,)
    assert pending.allowed_moves(APPROVER, second_approval=True) == (Move.APPROVE, Move.CANCEL)
    # who submitted may not approve their own where a second person is required
    own = draft.submit(APPROVER, NOW, second_approval=True)
    assert own.allowed_moves(APPROVER, second_approval=True) == (Move.CANCEL,)
    assert Lifecycle(Status.SENT).allowed_moves(APPROVER, second_approval=True) == (Move.CANCEL,)
    assert Lifecycle(Status.EXPIRED).allowed_moves(APPROVER, second_approval=True) == ()
    assert pending.allowed_moves(ANALYST, second_approval=True) == ()
    assert pending.history == draft.submit(AUTHOR, NOW, second_approval=True).history  # nothing changed
