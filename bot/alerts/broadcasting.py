"""What the delivery worker asks of alerts (:class:`bot.fanout.notices.BroadcastHooks`).

The worker knows broadcasts, not alerts: it asks here who follows an alert's regions and topics,
whether a queued alert is still live, and tells when one is complete or replaced by an Update.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.alerts.lifecycle import LIVE, Status, TransitionError
from bot.alerts.record import AlertNotFound
from bot.alerts.repository import AlertRepository
from bot.alerts.service import AlertService
from bot.subscriptions.store import SubscriptionStore

#: Subscribers read per round trip when resolving an alert's audience (bounded memory).
BATCH = 1000


class AlertBroadcasts:
    """The alerts side of the fan-out."""

    def __init__(
        self,
        alerts: AlertService,
        repository: AlertRepository,
        subscriptions: SubscriptionStore,
        batch: int = BATCH,
    ) -> None:
        self._alerts = alerts
        self._repository = repository
        self._subscriptions = subscriptions
        self._batch = batch

    def audience(self, reference: str) -> Iterator[list[str]] | None:
        """Batches of everyone who follows one of the alert's regions (all topics or one of its own)."""
        try:
            record = self._repository.get(reference)
        except AlertNotFound:
            return None
        if record.status not in LIVE:
            return None
        return self._subscriptions.followers(record.alert.regions, record.alert.topics, self._batch)

    def is_live(self, reference: str) -> bool:
        """Whether the alert is still going out (not cancelled, expired or superseded)."""
        try:
            return self._repository.get(reference).status in LIVE
        except AlertNotFound:
            return False

    def completed(self, reference: str) -> None:
        """Mark a sending alert sent."""
        try:
            if self._repository.get(reference).status is Status.SENDING:
                self._alerts.finish(reference)
        except (AlertNotFound, TransitionError):
            pass  # cancelled or finished by another worker meanwhile

    def superseded(self, reference: str, by: str) -> None:
        """The Update ``by`` replaces ``reference``."""
        self._alerts.supersede(reference, by)
