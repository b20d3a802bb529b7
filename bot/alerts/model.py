"""An alert as citizens read it: CAP vocabulary, text per language, target regions, validity."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

#: CAP 1.2 severities, most severe first (used to order alerts for citizens).
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")
#: CAP <msgType> values Baraza sends: a new alert, one that replaces earlier ones, or a cancellation.
MSG_TYPES = ("Alert", "Update", "Cancel")
#: Longest texts and most parts an alert may have, however it arrives (JSON or CAP): a headline fits one
#: SMS screen; the rest stays readable on a phone.
MAX_HEADLINE = 160
MAX_DESCRIPTION = 2000
MAX_INSTRUCTION = 1000
MAX_EVENT = 100
MAX_WEB = 500
MAX_LANGUAGES = 20
MAX_REGIONS = 200
MAX_TOPICS = 50
MAX_REFERENCES = 50
#: Longest CAP <identifier> received (the standard sets none; Baraza's own are ``al_`` and 16 hex digits).
MAX_CAP_IDENTIFIER = 200


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
    msg_type: str = "Alert"
    #: Ids of the earlier alerts an Update replaces or a Cancel withdraws.
    references: tuple[str, ...] = field(default_factory=tuple)
    event: str = ""
    web: str = ""

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("severity", self.severity, SEVERITIES),
            ("urgency", self.urgency, URGENCIES),
            ("certainty", self.certainty, CERTAINTIES),
            ("msg_type", self.msg_type, MSG_TYPES),
        ):
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
        if self.msg_type != "Alert" and not self.references:
            raise ValueError(f"an alert of type {self.msg_type} must reference the alert it replaces")
        if not self.regions:
            raise ValueError("an alert needs at least one target region")
        if not self.texts:
            raise ValueError("an alert needs text in at least one language")
        self._check_sizes()
        if self.expires.tzinfo is None or self.effective.tzinfo is None:
            raise ValueError("effective and expires must carry a time zone")
        if self.expires <= self.effective:
            raise ValueError("expires must be after effective")

    def _check_sizes(self) -> None:
        for name, items, most in (
            ("regions", self.regions, MAX_REGIONS),
            ("texts", self.texts, MAX_LANGUAGES),
            ("topics", self.topics, MAX_TOPICS),
            ("references", self.references, MAX_REFERENCES),
        ):
            if len(items) > most:
                raise ValueError(f"{name}: at most {most}, got {len(items)}")
        for name, value, most in (("event", self.event, MAX_EVENT), ("web", self.web, MAX_WEB)):
            if len(value) > most:
                raise ValueError(f"{name}: at most {most} characters, got {len(value)}")
        for language, text in self.texts.items():
            for part, value, most in (
                ("headline", text.headline, MAX_HEADLINE),
                ("description", text.description, MAX_DESCRIPTION),
                ("instruction", text.instruction, MAX_INSTRUCTION),
            ):
                if len(value) > most:
                    where = f"texts.{language[:20]}.{part}"
                    raise ValueError(f"{where}: at most {most} characters, got {len(value)}")

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
            msg_type=data.get("msg_type", "Alert"),
            references=tuple(data.get("references", ())),
            event=data.get("event", ""),
            web=data.get("web", ""),
        )


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(timezone.utc)
