"""What a change of an alert must do outside the database, as data: kept in the outbox with the change.

An alert going live is shown to citizens (``View.SHOW``) and its fan-out job queued; a live alert
cancelled, expired or replaced is withdrawn (``View.WITHDRAW``), a cancellation also queues the job
that tells its recipients. The alert service decides the effects of each change
(``AlertService._consequences``); the repository writes them in the change's transaction; the relay
(``outbox.py``) applies them to Redis.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum

from bot.fanout.notices import JobKind


class View(str, Enum):
    """What citizens see of the alert after the change."""

    SHOW = "show"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class Job:
    """A fan-out job to queue (``by``: the Update replacing ``reference``, for a supersede job)."""

    kind: JobKind
    reference: str
    by: str = ""


@dataclass(frozen=True)
class Effects:
    """The effects of one change; empty when it has none (a submission waiting for approval)."""

    view: View | None = None
    jobs: tuple[Job, ...] = ()

    def __bool__(self) -> bool:
        return self.view is not None or bool(self.jobs)

    def to_json(self) -> str:
        """The outbox's text of these effects."""
        return json.dumps(
            {
                "view": self.view.value if self.view else None,
                "jobs": [{"kind": j.kind.value, "reference": j.reference, "by": j.by} for j in self.jobs],
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Effects:
        """Inverse of :meth:`to_json`."""
        data = json.loads(text)
        return cls(
            view=View(data["view"]) if data.get("view") else None,
            jobs=tuple(Job(JobKind(j["kind"]), j["reference"], j.get("by", "")) for j in data["jobs"]),
        )


#: A change with nothing to do outside the database.
NONE = Effects()
