"""What ministries do with alerts: create, submit, approve, update, cancel, read.

Each operation checks who is asking (ministry and role), applies the lifecycle (``lifecycle.py``) and
stores the result through the repository's transaction, together with its consequences in the outbox:
an alert that goes live is to be shown to citizens and its fan-out job queued; an Update that goes
live supersedes what it references; a cancelled live alert is withdrawn and its recipients are told.
Right after the commit the consequences are relayed to Redis (``outbox.py``); if that fails (Redis
down, the process killed) housekeeping relays them within a second or so, and never twice.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from bot.alerts.cap import CapMessage, CapReference
from bot.alerts.cap_mapping import alert_from_cap, cap_from_alert
from bot.alerts.effects import NONE, Effects, Job, View
from bot.alerts.lifecycle import LIVE, Lifecycle, Move, NotAllowed, Status, TransitionError
from bot.alerts.model import Alert
from bot.alerts.outbox import AlertOutbox
from bot.alerts.record import AlertNotFound, AlertRecord
from bot.alerts.repository import AlertRepository
from bot.auth.roles import Actor, Permission
from bot.catalogue.bundle import Catalogues
from bot.fanout.notices import Broadcast, JobKind
from bot.fanout.queue import FanOutQueue, Progress

log = logging.getLogger(__name__)

#: Most alerts the public feeds list (the newest in force).
PUBLIC_SCAN = 500
#: Most alerts marked expired by one housekeeping round (the next round takes the rest).
EXPIRY_BATCH = 500


class AlertForbidden(NotAllowed):
    """The alert belongs to another ministry (HTTP 403)."""


def new_alert_id() -> str:
    """A short URL-safe id for a new alert."""
    return "al_" + secrets.token_hex(8)


class AlertService:
    """Alert operations for ministry API keys."""

    def __init__(
        self,
        repository: AlertRepository,
        outbox: AlertOutbox,
        fan_out: FanOutQueue,
        catalogues: Callable[[], Catalogues],
        clock: Callable[[], datetime],
    ) -> None:
        self._repository = repository
        self._outbox = outbox
        self._fan_out = fan_out
        self._catalogues = catalogues
        self._clock = clock

    # Reading -------------------------------------------------------------------------------------

    def get(self, actor: Actor, alert_id: str) -> AlertRecord:
        """One alert; :class:`AlertForbidden` when it is another ministry's."""
        self._require(actor, Permission.READ)
        record = self._repository.get(alert_id)
        if not actor.may_see(record.ministry):
            raise AlertForbidden("this alert belongs to another ministry")
        return record

    def list_alerts(
        self, actor: Actor, *, limit: int = 50, before: float | None = None, status: Status | None = None
    ) -> list[AlertRecord]:
        """The actor's ministry's alerts (analysts: everyone's), newest first, in ``status`` if given."""
        self._require(actor, Permission.READ)
        ministry = None if actor.may(Permission.READ_ALL_MINISTRIES) else actor.ministry
        return self._repository.list(ministry, limit=limit, before=before, status=status)

    def moves(self, actor: Actor, record: AlertRecord) -> tuple[Move, ...]:
        """What ``actor`` may do with ``record`` now (the console offers these and no other): nothing
        with another ministry's alert, else what its lifecycle allows the key's role and person."""
        if record.ministry != actor.ministry:
            return ()
        second = self._catalogues().ministries.get(record.ministry).second_approval
        return record.lifecycle.allowed_moves(actor, second_approval=second)

    def progress(self, actor: Actor, alert_id: str) -> tuple[AlertRecord, Progress, Progress]:
        """An alert with how far its delivery and its cancellation notices have got."""
        record = self.get(actor, alert_id)
        delivery = self._fan_out.progress(Broadcast.alert(alert_id))
        return record, delivery, self._fan_out.progress(Broadcast.cancellation(alert_id))

    def in_force(self, now: datetime) -> list[AlertRecord]:
        """The alerts in force now, newest first: what anyone may read (public feeds)."""
        return self._repository.in_force(now, limit=PUBLIC_SCAN)

    def published(self, alert_id: str) -> AlertRecord | None:
        """A live alert as anyone may read it, or None (unknown, a draft, or no longer live)."""
        try:
            record = self._repository.get(alert_id)
        except AlertNotFound:
            return None
        return record if record.status in LIVE else None

    def cap_of(self, record: AlertRecord) -> CapMessage:
        """The CAP message of a record."""
        references = tuple(self._cap_reference(ref) for ref in record.alert.references)
        return cap_from_alert(
            record.alert,
            self._catalogues(),
            sender=record.cap_sender,
            identifier=record.cap_identifier,
            sent=record.cap_sent,
            references=tuple(r for r in references if r is not None),
        )

    # Writing -------------------------------------------------------------------------------------

    def create(self, actor: Actor, alert: Alert, *, draft: bool = False) -> AlertRecord:
        """Store a new alert (or Update) written by ``actor``; submitted at once unless ``draft``."""
        self._require(actor, Permission.WRITE)
        now = self._clock()
        alert = replace(alert, sender=actor.ministry)
        sender = self._catalogues().ministries.get(actor.ministry).cap_sender
        return self._store_new(actor, alert, (sender, alert.alert_id, now), draft=draft)

    def _store_new(
        self, actor: Actor, alert: Alert, cap_identity: tuple[str, str, datetime], *, draft: bool
    ) -> AlertRecord:
        """Check references, store as a draft, and submit unless ``draft``."""
        self._check_references(actor, alert)
        sender, identifier, sent = cap_identity
        record = AlertRecord(
            alert=alert,
            ministry=actor.ministry,
            lifecycle=Lifecycle(Status.DRAFT),
            created_by=actor.key_id,
            created_at=self._clock(),
            cap_sender=sender,
            cap_identifier=identifier,
            cap_sent=sent,
        )
        self._repository.add(record)
        return record if draft else self.submit(actor, record.alert_id)

    def create_from_cap(self, actor: Actor, message: CapMessage, *, draft: bool = False) -> AlertRecord:
        """Store an alert received as CAP; a Cancel message cancels what it references."""
        catalogues = self._catalogues()
        ministry = catalogues.ministries.get(actor.ministry)
        if message.sender != ministry.cap_sender:
            raise AlertForbidden(
                f"<sender> is {message.sender!r}, but this key's ministry sends as {ministry.cap_sender!r}"
            )
        references = tuple(self._resolve(ref) for ref in message.references)
        if message.msg_type == "Cancel":
            self._require(actor, Permission.CANCEL)
            results = [self.cancel(actor, alert_id, note=message.note) for alert_id in references]
            return results[-1]
        self._require(actor, Permission.WRITE)
        alert = alert_from_cap(
            message,
            catalogues,
            alert_id=new_alert_id(),
            sender_ministry=actor.ministry,
            references=references,
        )
        return self._store_new(actor, alert, (message.sender, message.identifier, message.sent), draft=draft)

    def submit(self, actor: Actor, alert_id: str) -> AlertRecord:
        """Submit a draft for approval (or send it, where the ministry needs no second approval)."""
        second = self._catalogues().ministries.get(actor.ministry).second_approval
        now = self._clock()
        return self._move(
            actor,
            alert_id,
            lambda r: r.with_lifecycle(r.lifecycle.submit(actor, now, second_approval=second)),
        )

    def approve(self, actor: Actor, alert_id: str) -> AlertRecord:
        """Approve a submitted alert: it goes live and its fan-out starts."""
        second = self._catalogues().ministries.get(actor.ministry).second_approval
        now = self._clock()
        return self._move(
            actor,
            alert_id,
            lambda r: r.with_lifecycle(r.lifecycle.apply(Move.APPROVE, actor, now, second_approval=second)),
        )

    def update(self, actor: Actor, alert_id: str, content: Alert, *, draft: bool = False) -> AlertRecord:
        """A new alert that replaces ``alert_id`` once it goes live (CAP msgType Update)."""
        original = self._own(actor, alert_id)
        if original.status not in LIVE:
            raise TransitionError(
                f"an alert that is {original.status.value} cannot be updated; only one that has gone out can "
                "(a draft or pending alert: cancel it and create a new one)"
            )
        update = replace(content, msg_type="Update", references=(alert_id,))
        return self.create(actor, update, draft=draft)

    def cancel(self, actor: Actor, alert_id: str, *, note: str = "") -> AlertRecord:
        """Cancel an alert. A live one is withdrawn and everyone who got it is told."""
        now = self._clock()
        return self._move(
            actor, alert_id, lambda r: r.with_lifecycle(r.lifecycle.apply(Move.CANCEL, actor, now, note=note))
        )

    def _move(self, actor: Actor, alert_id: str, move: Callable[[AlertRecord], AlertRecord]) -> AlertRecord:
        """A person's move on one of their ministry's alerts, with its consequences, relayed at once.

        Whose alert it is is checked on the record the change is computed from (one read, not two)."""

        def checked(record: AlertRecord) -> AlertRecord:
            if record.ministry != actor.ministry:
                raise AlertForbidden("this alert belongs to another ministry")
            return move(record)

        return self._relayed(self._repository.change(alert_id, checked, self._consequences))

    def finish(self, alert_id: str) -> AlertRecord:
        """Mark a live alert sent once its fan-out is complete (called by the workers)."""
        now = self._clock()
        return self._repository.change(
            alert_id, lambda r: r.with_lifecycle(r.lifecycle.apply(Move.FINISH, None, now))
        )

    # Internals -----------------------------------------------------------------------------------

    @staticmethod
    def _consequences(record: AlertRecord) -> Effects:
        """What a status change sets in motion, written to the outbox in the change's transaction."""
        last = record.lifecycle.history[-1] if record.lifecycle.history else None
        if last is None:
            return NONE
        if last.to_status is Status.SENDING:
            jobs = [Job(JobKind.ALERT, record.alert_id)]
            jobs += [
                Job(JobKind.SUPERSEDE, replaced, by=record.alert_id) for replaced in record.alert.references
            ]
            return Effects(View.SHOW, tuple(jobs))
        if last.to_status is Status.CANCELLED and last.from_status in LIVE:
            return Effects(View.WITHDRAW, (Job(JobKind.CANCEL, record.alert_id),))
        return NONE

    def _relayed(self, record: AlertRecord) -> AlertRecord:
        """``record``, once the consequences of its change are relayed to Redis if they can be now
        (else housekeeping relays them: the change is committed, nothing is lost)."""
        try:
            self._outbox.relay(record.alert_id)
        except Exception:
            log.warning("the consequences of alert %s wait in the outbox", record.alert_id, exc_info=True)
        return record

    def expire_due(self, now: datetime | None = None, scan: int = EXPIRY_BATCH) -> list[str]:
        """Mark live alerts whose time is over as expired (called periodically by housekeeping)."""
        moment = now or self._clock()
        expired = []
        for record in self._repository.due_to_expire(moment, limit=scan):
            try:
                self._relayed(
                    self._repository.change(
                        record.alert_id,
                        lambda r: r.with_lifecycle(r.lifecycle.apply(Move.EXPIRE, None, moment)),
                        lambda r: Effects(View.WITHDRAW),
                    )
                )
                expired.append(record.alert_id)
            except TransitionError:
                pass  # changed meanwhile (cancelled, superseded)
        return expired

    def supersede(self, alert_id: str, by: str) -> AlertRecord | None:
        """Mark ``alert_id`` replaced by the live Update ``by`` (its fan-out job, run by a worker)."""
        now = self._clock()

        def change(record: AlertRecord) -> AlertRecord:
            moved = record.with_lifecycle(
                record.lifecycle.apply(Move.SUPERSEDE, None, now, note=f"replaced by {by}")
            )
            return replace(moved, superseded_by=by)

        try:
            changed = self._repository.change(alert_id, change, lambda r: Effects(View.WITHDRAW))
        except (AlertNotFound, ValueError):
            return None  # already final (e.g. cancelled) or unknown: nothing to replace
        return self._relayed(changed)

    def authorise_write(self, actor: Actor, alert_id: str) -> AlertRecord:
        """Check, before reading a request body, that ``actor`` may write to ``alert_id``."""
        self._require(actor, Permission.WRITE)
        return self._own(actor, alert_id)

    def _own(self, actor: Actor, alert_id: str) -> AlertRecord:
        record = self._repository.get(alert_id)
        if record.ministry != actor.ministry:
            raise AlertForbidden("this alert belongs to another ministry")
        return record

    def _check_references(self, actor: Actor, alert: Alert) -> None:
        for alert_id in alert.references:
            referenced = self._own(actor, alert_id)
            if referenced.status not in LIVE:
                raise TransitionError(
                    f"alert {alert_id} is {referenced.status.value}; only a live alert can be updated"
                )

    def _resolve(self, reference: CapReference) -> str:
        record = self._repository.find_by_cap_identity(reference.sender, reference.identifier)
        if record is None:
            raise AlertNotFound(
                f"<references> names {reference.identifier!r} from {reference.sender!r}, "
                "which was never received here"
            )
        return record.alert_id

    def _cap_reference(self, alert_id: str) -> CapReference | None:
        try:
            record = self._repository.get(alert_id)
        except AlertNotFound:
            return None
        return CapReference(
            record.cap_sender, record.cap_identifier, record.cap_sent.replace(microsecond=0).isoformat()
        )

    @staticmethod
    def _require(actor: Actor, permission: Permission) -> None:
        if not actor.may(permission):
            raise NotAllowed(f"the {actor.role.value} role may not {permission.value.replace('_', ' ')}")
