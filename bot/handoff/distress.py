"""Messages that signal danger or distress (``config/catalogue/distress/<lang>.yml``).

Such a message is handed to a person at once, at the front of the queue, and the emergency number is
shown first. The phrases of every language are searched, the conversation's own first: citizens mix
languages, and a cry for help must not depend on the language the conversation was set to.
"""

from __future__ import annotations

import enum
from pathlib import Path

from bot.phrases import PhraseIndex
from bot.yaml_files import DataFileError, read_yaml_mapping


class DistressKind(str, enum.Enum):
    """What a message signals."""

    VIOLENCE = "violence"
    SELF_HARM = "self_harm"
    MEDICAL_EMERGENCY = "medical_emergency"


class DistressWords:
    """The distress phrases of every language."""

    def __init__(self, index: PhraseIndex) -> None:
        self._index = index

    def detect(self, text: str, language: str = "") -> DistressKind | None:
        """The kind of distress ``text`` signals, or None."""
        found = self._index.find(text, language)
        return DistressKind(found) if found else None


def load_distress_words(config_dir: Path, languages: list[str]) -> DistressWords:
    """Read every language's file; each must name every kind."""
    index = PhraseIndex()
    for code in languages:
        path = config_dir / "catalogue" / "distress" / f"{code}.yml"
        data = read_yaml_mapping(path)
        for kind in DistressKind:
            words = data.get(kind.value)
            if not isinstance(words, list) or not words:
                raise DataFileError(f"{path}: {kind.value} must list at least one phrase")
            for word in words:
                index.add(code, str(word), kind.value)
    return DistressWords(index)
