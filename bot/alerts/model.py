"""An alert as citizens read it: CAP vocabulary, text per language, target regions, validity."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

#: CAP 1.2 severities, most severe first (used to order alerts for citizens).
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")


@dataclass(frozen=True)
class AlertText:
    """An alert in one language."""

    headline: str
    description: str
    instruction: str


@dataclass(frozen=True)
class Alert:
    """An alert targeting one or more regions."""

    alert_id: str
    severity: str
    regions: tuple[str, ...]
    effective: datetime
    expires: datetime
    texts: dict[str, AlertText]  #: language -> text; the first is the alert's original language
    sender: str = ""
    category: str = "Other"
    urgency: str = "Unknown"
    certainty: str = "Unknown"
    topics: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}")
        if not self.texts:
            raise ValueError("an alert needs text in at least one language")
        if self.expires.tzinfo is None or self.effective.tzinfo is None:
            raise ValueError("effective and expires must carry a time zone")
        if self.expires <= self.effective:
            raise ValueError("expires must be after effective")

    def is_active(self, now: datetime) -> bool:
        """Whether the alert is in force at ``now``."""
        return self.effective <= now < self.expires

    def text_for(self, language: str) -> tuple[AlertText, bool]:
        """The text in ``language``, or in the alert's first language; True if it had to fall back."""
        if language in self.texts:
            return self.texts[language], False
        return next(iter(self.texts.values())), True

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        data = asdict(self)
        data["effective"] = self.effective.isoformat()
        data["expires"] = self.expires.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Alert:
        """Inverse of :meth:`to_json`."""
        return cls(
            alert_id=data["alert_id"],
            severity=data["severity"],
            regions=tuple(data["regions"]),
            effective=datetime.fromisoformat(data["effective"]),
            expires=datetime.fromisoformat(data["expires"]),
            texts={lang: AlertText(**text) for lang, text in data["texts"].items()},
            sender=data.get("sender", ""),
            category=data.get("category", "Other"),
            urgency=data.get("urgency", "Unknown"),
            certainty=data.get("certainty", "Unknown"),
            topics=tuple(data.get("topics", ())),
        )


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(timezone.utc)
