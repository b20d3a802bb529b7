"""The shelter catalogue: ``config/catalogue/shelters.yml`` (region, open or full, capacity, access) and
``config/catalogue/shelters/<lang>.yml`` (each shelter's name and place, and the words citizens use
for a shelter).

Shelters are data, not training: a ministry opens or closes one by editing the file, and the next
answer follows (the catalogues are reloaded when edited). Every shelter must be named in every language.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from bot.phrases import PhraseIndex
from bot.yaml_files import DataFileError, read_yaml_mapping


class ShelterStatus(str, Enum):
    """Whether a shelter takes people in now."""

    OPEN = "open"
    FULL = "full"


@dataclass(frozen=True)
class Shelter:
    """A shelter: where it is, whether it is open, how many it takes, its name per language."""

    shelter_id: str
    region: str
    status: ShelterStatus
    capacity: int
    accessible: bool  #: step-free entrance and accessible toilets
    names: dict[str, str]
    places: dict[str, str]

    @property
    def is_open(self) -> bool:
        """Takes people in now."""
        return self.status is ShelterStatus.OPEN


class ShelterCatalogue:
    """All shelters, by region, and the words that make a question one about shelters."""

    def __init__(
        self, shelters: dict[str, Shelter], words: dict[str, tuple[str, ...]], alert_topics: frozenset[str]
    ) -> None:
        self.shelters = shelters
        #: Alerts of these topics name the open shelters of their regions in "tell me more".
        self.alert_topics = alert_topics
        self._words = PhraseIndex()
        for language, phrases in words.items():
            for phrase in phrases:
                self._words.add(language, phrase, "shelter")

    def open_in(self, regions: tuple[str, ...] | list[str]) -> list[Shelter]:
        """The open shelters of ``regions``, in catalogue order."""
        return [s for s in self.shelters.values() if s.region in regions and s.is_open]

    def asks_about_shelters(self, text: str) -> bool:
        """The text speaks of a shelter, in any language ("Y a-t-il un abri à Bandari ?")."""
        return bool(self._words.find_all(text))


def _facts(path: Path, regions: set[str]) -> tuple[dict[str, dict[str, object]], frozenset[str]]:
    raw = read_yaml_mapping(path)
    shelters = raw.get("shelters") or {}
    if not isinstance(shelters, dict):
        raise DataFileError(f"{path}: shelters must be a mapping of shelter ids")
    facts: dict[str, dict[str, object]] = {}
    statuses = [s.value for s in ShelterStatus]
    for shelter_id, entry in shelters.items():
        entry = entry if isinstance(entry, dict) else {}
        where = f"{path}: shelter {shelter_id!r}"
        if entry.get("region") not in regions:
            raise DataFileError(f"{where}: region {entry.get('region')!r} is not in regions.yml")
        if entry.get("status") not in statuses:
            raise DataFileError(f"{where}: status must be one of {', '.join(statuses)}")
        capacity = entry.get("capacity")
        if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity <= 0:
            raise DataFileError(f"{where}: capacity must be a whole number of people above 0")
        if not isinstance(entry.get("accessible"), bool):
            raise DataFileError(f"{where}: accessible must be true or false")
        facts[str(shelter_id)] = entry
    return facts, frozenset(str(t) for t in raw.get("alert_topics") or ())


def load_shelters(config_dir: Path, languages: tuple[str, ...], regions: set[str]) -> ShelterCatalogue:
    """Read the neutral shelter file and one name file per language (every shelter in every one)."""
    facts, alert_topics = _facts(config_dir / "catalogue" / "shelters.yml", regions)
    names: dict[str, dict[str, str]] = {shelter_id: {} for shelter_id in facts}
    places: dict[str, dict[str, str]] = {shelter_id: {} for shelter_id in facts}
    words: dict[str, tuple[str, ...]] = {}
    for code in languages:
        path = config_dir / "catalogue" / "shelters" / f"{code}.yml"
        raw = read_yaml_mapping(path)
        entries = raw.get("shelters") or {}
        unknown = set(entries) - set(facts)
        if unknown:
            raise DataFileError(f"{path}: shelters not in shelters.yml: {sorted(unknown)}")
        for shelter_id in facts:
            entry = entries.get(shelter_id)
            if not isinstance(entry, dict) or not entry.get("name") or not entry.get("place"):
                raise DataFileError(f"{path}: shelter {shelter_id!r} lacks a name or a place")
            names[shelter_id][code] = str(entry["name"]).strip()
            places[shelter_id][code] = str(entry["place"]).strip()
        words[code] = tuple(str(w) for w in raw.get("words") or ())
        if not words[code]:
            raise DataFileError(f"{path}: words is empty (how citizens ask for a shelter)")
    return ShelterCatalogue(
        {
            shelter_id: Shelter(
                shelter_id=shelter_id,
                region=str(entry["region"]),
                status=ShelterStatus(entry["status"]),
                capacity=int(entry["capacity"]),  # type: ignore[call-overload]
                accessible=bool(entry["accessible"]),
                names=names[shelter_id],
                places=places[shelter_id],
            )
            for shelter_id, entry in facts.items()
        },
        words,
        alert_topics,
    )
