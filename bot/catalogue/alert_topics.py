"""Alert topics (``config/catalogue/alert_topics.yml``): what citizens subscribe to, from CAP categories."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.yaml_files import DataFileError, read_yaml_mapping

#: The CAP 1.2 <category> vocabulary.
CAP_CATEGORIES = (
    "Geo",
    "Met",
    "Safety",
    "Security",
    "Rescue",
    "Fire",
    "Health",
    "Env",
    "Transport",
    "Infra",
    "CBRNE",
    "Other",
)


@dataclass(frozen=True)
class AlertTopics:
    """Topic ids in order, and the topic of each CAP category."""

    categories: dict[str, tuple[str, ...]]  #: topic id -> CAP categories

    @property
    def ids(self) -> tuple[str, ...]:
        """Topic ids in catalogue order."""
        return tuple(self.categories)

    def for_categories(self, categories: tuple[str, ...]) -> tuple[str, ...]:
        """The topics that CAP categories fall under, without repeats."""
        found: list[str] = []
        for category in categories:
            for topic, covered in self.categories.items():
                if category in covered and topic not in found:
                    found.append(topic)
        return tuple(found)


def load_alert_topics(config_dir: Path) -> AlertTopics:
    """Read the topic file; every CAP category must belong to exactly one topic."""
    path = config_dir / "catalogue" / "alert_topics.yml"
    entries = read_yaml_mapping(path).get("topics") or {}
    categories = {str(topic): tuple(str(c) for c in covered) for topic, covered in entries.items()}
    listed = [c for covered in categories.values() for c in covered]
    unknown = sorted(set(listed) - set(CAP_CATEGORIES))
    missing = sorted(set(CAP_CATEGORIES) - set(listed))
    twice = sorted({c for c in listed if listed.count(c) > 1})
    for problem, names in (("unknown CAP categories", unknown), ("uncovered", missing), ("repeated", twice)):
        if names:
            raise DataFileError(f"{path}: {problem}: {names}")
    return AlertTopics(categories=categories)
