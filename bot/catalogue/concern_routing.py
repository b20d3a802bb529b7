"""Concern categories and which ministry each goes to: ``config/catalogue/concern_routing.yml``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.yaml_files import DataFileError, read_yaml_mapping

#: Concern categories, in the order citizens are offered them. Names per language: locales.
CATEGORIES = (
    "health",
    "education",
    "water_sanitation",
    "roads_transport",
    "security",
    "social_protection",
    "corruption_fraud",
    "other",
)
#: Where concerns no routing rule matches go: a person sorts them.
TRIAGE = "triage"


@dataclass(frozen=True)
class Rule:
    """One routing rule."""

    category: str
    ministry: str
    region: str = ""  #: empty: any region


@dataclass(frozen=True)
class RoutingTable:
    """Rules tried in order; no match means triage."""

    rules: tuple[Rule, ...]

    def ministry_for(self, category: str, region: str) -> str:
        """The ministry for a category and region, or :data:`TRIAGE`."""
        for rule in self.rules:
            if rule.category == category and (not rule.region or rule.region == region):
                return rule.ministry
        return TRIAGE


def load_routing(config_dir: Path, ministries: set[str], regions: set[str]) -> RoutingTable:
    """Read and check the routing file."""
    path = config_dir / "catalogue" / "concern_routing.yml"
    rules = []
    for entry in read_yaml_mapping(path).get("rules") or []:
        rule = Rule(
            category=str(entry["category"]),
            ministry=str(entry["ministry"]),
            region=str(entry.get("region") or ""),
        )
        if rule.category not in CATEGORIES:
            raise DataFileError(f"{path}: unknown category {rule.category!r}")
        if rule.ministry not in ministries:
            raise DataFileError(f"{path}: unknown ministry {rule.ministry!r}")
        if rule.region and rule.region not in regions:
            raise DataFileError(f"{path}: unknown region {rule.region!r}")
        rules.append(rule)
    return RoutingTable(rules=tuple(rules))
