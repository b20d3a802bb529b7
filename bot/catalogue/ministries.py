"""Ministries and agencies (``config/catalogue/ministries.yml``): who sends alerts and answers concerns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.yaml_files import DataFileError, read_yaml_mapping


@dataclass(frozen=True)
class Ministry:
    """A ministry or agency, and the rules its alerts follow."""

    ministry_id: str
    second_approval: bool
    cap_sender: str


@dataclass(frozen=True)
class MinistryCatalogue:
    """All ministries, by id."""

    ministries: dict[str, Ministry]

    def __contains__(self, ministry_id: object) -> bool:
        return ministry_id in self.ministries

    def get(self, ministry_id: str) -> Ministry:
        """One ministry; KeyError if unknown."""
        return self.ministries[ministry_id]


def load_ministries(config_dir: Path) -> MinistryCatalogue:
    """Read the ministry file."""
    path = config_dir / "catalogue" / "ministries.yml"
    entries = read_yaml_mapping(path).get("ministries") or {}
    ministries = {}
    for ministry_id, entry in entries.items():
        try:
            ministries[str(ministry_id)] = Ministry(
                ministry_id=str(ministry_id),
                second_approval=bool(entry["second_approval"]),
                cap_sender=str(entry["cap_sender"]),
            )
        except (KeyError, TypeError) as error:
            raise DataFileError(f"{path}: ministry {ministry_id} lacks {error}") from error
    if not ministries:
        raise DataFileError(f"{path}: no ministries")
    return MinistryCatalogue(ministries=ministries)
