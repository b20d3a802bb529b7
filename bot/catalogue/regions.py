"""The region catalogue (``config/catalogue/regions*.yml``): names and spellings per language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.phrases import PhraseIndex
from bot.yaml_files import DataFileError, read_yaml_mapping


@dataclass(frozen=True)
class Region:
    """A region: its geocode, main town and name per language."""

    region_id: str
    geocode: str
    main_town: str
    names: dict[str, str]
    spellings: dict[str, tuple[str, ...]]


class RegionCatalogue:
    """All regions, with lookup by the names citizens type in any language."""

    def __init__(self, regions: dict[str, Region]) -> None:
        self.regions = regions
        self._phrases = PhraseIndex()
        for region in regions.values():
            for language, name in region.names.items():
                for phrase in (name, region.main_town, *region.spellings.get(language, ())):
                    self._phrases.add(language, phrase, region.region_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """Region ids in catalogue order."""
        return tuple(self.regions)

    def name(self, region_id: str, language: str) -> str:
        """A region's name in one language."""
        return self.regions[region_id].names[language]

    def find_in_text(self, text: str, language: str) -> str | None:
        """The region a citizen's text names, trying their language first."""
        return self._phrases.find(text, language)


def load_regions(config_dir: Path, languages: tuple[str, ...]) -> RegionCatalogue:
    """Read the neutral region file and one name file per language."""
    neutral_path = config_dir / "catalogue" / "regions.yml"
    neutral = read_yaml_mapping(neutral_path).get("regions") or {}
    names: dict[str, dict[str, str]] = {rid: {} for rid in neutral}
    spellings: dict[str, dict[str, tuple[str, ...]]] = {rid: {} for rid in neutral}
    for code in languages:
        path = config_dir / "catalogue" / "regions" / f"{code}.yml"
        entries = read_yaml_mapping(path).get("regions") or {}
        unknown = set(entries) - set(neutral)
        if unknown:
            raise DataFileError(f"{path}: unknown region ids {sorted(unknown)}")
        for region_id in neutral:
            entry = entries.get(region_id)
            if not isinstance(entry, dict) or not entry.get("name"):
                raise DataFileError(f"{path}: region {region_id!r} lacks a name")
            names[region_id][code] = str(entry["name"])
            spellings[region_id][code] = tuple(str(s) for s in entry.get("spellings") or ())
    return RegionCatalogue(
        {
            region_id: Region(
                region_id=region_id,
                geocode=str(facts["geocode"]),
                main_town=str(facts["main_town"]),
                names=names[region_id],
                spellings=spellings[region_id],
            )
            for region_id, facts in neutral.items()
        }
    )
