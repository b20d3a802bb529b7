"""Words too common to be a trend (``config/stopwords/<lang>.yml``), one list per language.

The analyst dashboard's "words rising this week" leaves them out. They are kept as data, not code, so
an analyst can add a word that crowds the list ("please", "report") without a release.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.phrases import fold
from bot.yaml_files import DataFileError, read_yaml_mapping


@dataclass(frozen=True)
class StopWords:
    """The folded stop-words of each language."""

    by_language: dict[str, frozenset[str]]

    @property
    def all(self) -> frozenset[str]:
        """Every language's words together: reports mix languages (Swahili with English words), and a
        word that carries nothing in one of the six rarely names a trend in another."""
        return frozenset().union(*self.by_language.values())


def load_stopwords(config_dir: Path, codes: tuple[str, ...]) -> StopWords:
    """Read one list per language; a missing file or an empty list is an error naming the file."""
    by_language = {}
    for code in codes:
        path = config_dir / "stopwords" / f"{code}.yml"
        entries = read_yaml_mapping(path).get("words")
        if not isinstance(entries, list) or not entries:
            raise DataFileError(f"{path}: expected a non-empty list under 'words'")
        by_language[code] = frozenset(word for entry in entries for word in fold(str(entry)).split())
    return StopWords(by_language)
