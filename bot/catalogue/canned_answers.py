"""Canned answers of the handoff inbox (``config/catalogue/canned_answers.yml``): what people at a desk
often write to citizens, in every language, so an agent answers a citizen in the citizen's language
even when the agent does not write it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.yaml_files import DataFileError, read_yaml_mapping

_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
#: Longest canned answer (the agent's replies are limited to the same, bot/api/handoffs.py).
MAX_TEXT = 1000


@dataclass(frozen=True)
class CannedAnswers:
    """Answer id -> language -> text, in file order."""

    answers: dict[str, dict[str, str]]

    def in_language(self, language: str) -> list[tuple[str, str]]:
        """Every answer's (id, text) in ``language``."""
        return [
            (answer_id, texts[language]) for answer_id, texts in self.answers.items() if language in texts
        ]


def load_canned_answers(config_dir: Path, languages: tuple[str, ...]) -> CannedAnswers:
    """Read the file; every answer must have a text in every supported language."""
    path = config_dir / "catalogue" / "canned_answers.yml"
    entries = read_yaml_mapping(path).get("answers")
    if not isinstance(entries, dict) or not entries:
        raise DataFileError(f"{path}: 'answers' must map answer ids to their texts")
    answers: dict[str, dict[str, str]] = {}
    for answer_id, texts in entries.items():
        if not _ID.match(str(answer_id)):
            raise DataFileError(f"{path}: answer id {answer_id!r} must be lower-case letters, digits, _")
        if not isinstance(texts, dict):
            raise DataFileError(f"{path}: {answer_id}: texts must map languages to texts")
        missing = [code for code in languages if not str(texts.get(code) or "").strip()]
        if missing:
            raise DataFileError(f"{path}: {answer_id} has no text in {missing}")
        unknown = sorted(set(map(str, texts)) - set(languages))
        if unknown:
            raise DataFileError(f"{path}: {answer_id}: unknown languages {unknown}")
        too_long = [code for code in languages if len(str(texts[code])) > MAX_TEXT]
        if too_long:
            raise DataFileError(f"{path}: {answer_id} is longer than {MAX_TEXT} characters in {too_long}")
        answers[str(answer_id)] = {code: str(texts[code]).strip() for code in languages}
    return CannedAnswers(answers)
