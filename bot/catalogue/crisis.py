"""Crisis information (``config/catalogue/crisis/<lang>.yml``): a short FAQ per topic."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.phrases import PhraseIndex
from bot.yaml_files import DataFileError, read_yaml_mapping


@dataclass(frozen=True)
class CrisisTopic:
    """One crisis topic in one language."""

    topic_id: str
    title: str
    keywords: tuple[str, ...]
    answer: str


class CrisisGuide:
    """Crisis topics in every language, with lookup by the words citizens use."""

    def __init__(self, topics: dict[str, dict[str, CrisisTopic]], topic_ids: tuple[str, ...]) -> None:
        self._topics = topics  #: language -> topic id -> topic
        self.topic_ids = topic_ids
        self._phrases = PhraseIndex()
        for language, entries in topics.items():
            for topic in entries.values():
                for phrase in (topic.title, *topic.keywords):
                    self._phrases.add(language, phrase, topic.topic_id)

    def topic(self, topic_id: str, language: str) -> CrisisTopic:
        """A topic in one language."""
        return self._topics[language][topic_id]

    def topics(self, language: str) -> list[CrisisTopic]:
        """All topics in one language, in catalogue order."""
        return [self._topics[language][topic_id] for topic_id in self.topic_ids]

    def find_in_text(self, text: str, language: str) -> str | None:
        """The topic a citizen's text points to, trying their language first."""
        return self._phrases.find(text, language)


def load_crisis_guide(config_dir: Path, languages: tuple[str, ...]) -> CrisisGuide:
    """Read the crisis FAQ of every language; every language must have the same topics."""
    topics: dict[str, dict[str, CrisisTopic]] = {}
    reference: tuple[str, ...] | None = None
    for code in languages:
        path = config_dir / "catalogue" / "crisis" / f"{code}.yml"
        entries = read_yaml_mapping(path).get("topics") or {}
        ids = tuple(entries)
        if reference is None:
            reference = ids
        elif set(ids) != set(reference):
            raise DataFileError(f"{path}: topics {sorted(ids)} differ from {sorted(reference)}")
        topics[code] = {}
        for topic_id, entry in entries.items():
            missing = [f for f in ("title", "answer") if not (entry or {}).get(f)]
            if missing:
                raise DataFileError(f"{path}: topic {topic_id!r} lacks {', '.join(missing)}")
            topics[code][topic_id] = CrisisTopic(
                topic_id=topic_id,
                title=str(entry["title"]).strip(),
                keywords=tuple(str(k) for k in entry.get("keywords") or ()),
                answer=str(entry["answer"]).strip(),
            )
    return CrisisGuide(topics, reference or ())
