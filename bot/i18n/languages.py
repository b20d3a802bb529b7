"""The supported languages, listed once in ``config/languages.yml``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.yaml_files import DataFileError, read_yaml_mapping


@dataclass(frozen=True)
class Language:
    """A language the assistant speaks."""

    code: str  #: ISO 639-1
    name: str  #: the language's own name for itself
    direction: str  #: "ltr" or "rtl"


@dataclass(frozen=True)
class LanguageRegistry:
    """The supported languages, in the order they are listed, and the default one."""

    languages: tuple[Language, ...]
    default: str

    @property
    def codes(self) -> tuple[str, ...]:
        """ISO codes of the supported languages."""
        return tuple(language.code for language in self.languages)

    def is_supported(self, code: str | None) -> bool:
        """Whether ``code`` names a supported language."""
        return code in self.codes

    def get(self, code: str) -> Language:
        """The language with this code."""
        for language in self.languages:
            if language.code == code:
                return language
        raise KeyError(code)

    def normalise(self, code: str | None) -> str | None:
        """Turn a channel hint such as ``fr-SN`` or ``pt_BR`` into a supported code, if any."""
        if not code:
            return None
        base = code.strip().replace("_", "-").split("-")[0].lower()
        return base if base in self.codes else None


def load_languages(config_dir: Path) -> LanguageRegistry:
    """Read ``languages.yml`` from the config folder."""
    path = config_dir / "languages.yml"
    raw = read_yaml_mapping(path)
    entries = raw.get("languages")
    if not isinstance(entries, dict) or not entries:
        raise DataFileError(f"{path}: 'languages' must map codes to entries")
    languages = []
    for code, entry in entries.items():
        direction = entry.get("direction", "ltr")
        if direction not in ("ltr", "rtl"):
            raise DataFileError(f"{path}: {code}: direction must be ltr or rtl")
        languages.append(Language(code=str(code), name=str(entry["name"]), direction=direction))
    default = str(raw.get("default", languages[0].code))
    registry = LanguageRegistry(languages=tuple(languages), default=default)
    if not registry.is_supported(default):
        raise DataFileError(f"{path}: default language {default!r} is not listed")
    return registry
