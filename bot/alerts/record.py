"""An alert as a ministry manages it: the content, who sent it, and where it is in its life."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.alerts.lifecycle import HistoryEntry, Lifecycle, Move, Status
from bot.alerts.model import Alert


class AlertNotFound(KeyError):
    """No alert with that id."""


class DuplicateAlert(ValueError):
    """A CAP (sender, identifier) pair that was already received."""


@dataclass(frozen=True)
class AlertRecord:
    """One alert message of a ministry (an Alert, an Update or a Cancel)."""

    alert: Alert
    ministry: str
    lifecycle: Lifecycle
    created_by: str  #: API key id
    created_at: datetime
    #: The CAP identity this message is known by (``sender,identifier,sent`` in CAP references).
    cap_sender: str
    cap_identifier: str
    cap_sent: datetime
    superseded_by: str = ""

    @property
    def alert_id(self) -> str:
        """Baraza's id of the alert (URL-safe)."""
        return self.alert.alert_id

    @property
    def status(self) -> Status:
        """The current status."""
        return self.lifecycle.status

    def with_lifecycle(self, lifecycle: Lifecycle) -> AlertRecord:
        """This record with a new lifecycle."""
        return replace(self, lifecycle=lifecycle)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (also the API's representation)."""
        return {
            "id": self.alert_id,
            "ministry": self.ministry,
            "status": self.status.value,
            "alert": self.alert.to_json(),
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
            "submitted_by": self.lifecycle.submitted_by,
            "approved_by": self.lifecycle.approved_by,
            "submitted_by_person": self.lifecycle.submitted_by_person,
            "approved_by_person": self.lifecycle.approved_by_person,
            "superseded_by": self.superseded_by,
            "cap": {
                "sender": self.cap_sender,
                "identifier": self.cap_identifier,
                "sent": self.cap_sent.isoformat(),
            },
            "history": [
                {
                    "move": entry.move.value,
                    "actor": entry.actor,
                    "person": entry.person,
                    "at": entry.at.isoformat(),
                    "from": entry.from_status.value,
                    "to": entry.to_status.value,
                    "note": entry.note,
                }
                for entry in self.lifecycle.history
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AlertRecord:
        """Inverse of :meth:`to_json`."""
        history = tuple(
            HistoryEntry(
                move=Move(entry["move"]),
                actor=entry["actor"],
                at=datetime.fromisoformat(entry["at"]),
                from_status=Status(entry["from"]),
                to_status=Status(entry["to"]),
                note=entry.get("note", ""),
                person=entry.get("person", ""),
            )
            for entry in data["history"]
        )
        return cls(
            alert=Alert.from_json(data["alert"]),
            ministry=data["ministry"],
            lifecycle=Lifecycle(
                status=Status(data["status"]),
                history=history,
                submitted_by=data.get("submitted_by", ""),
                approved_by=data.get("approved_by", ""),
                submitted_by_person=data.get("submitted_by_person", ""),
                approved_by_person=data.get("approved_by_person", ""),
            ),
            created_by=data["created_by"],
            created_at=datetime.fromisoformat(data["created_at"]),
            cap_sender=data["cap"]["sender"],
            cap_identifier=data["cap"]["identifier"],
            cap_sent=datetime.fromisoformat(data["cap"]["sent"]),
            superseded_by=data.get("superseded_by", ""),
        )
