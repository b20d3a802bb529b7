"""The meaning of crisis questions against the knowledge base of the moment."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.assistant import crisis_meaning
from bot.assistant.crisis_meaning import CrisisMeaning, default_detector, default_meaning
from bot.catalogue.crisis import load_crisis_guide
from bot.sentence_vectors import VectorStore


class WordEncoder:
    """A text points towards the health words it has (a fake of the sentence encoder)."""

    WORDS = ("fever", "mask", "flood")

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        rows = np.array([[float(w in t.lower()) for w in self.WORDS] + [0.1] for t in texts], np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_questions_are_scored_against_the_entries_and_the_vectors_built_once_per_edit(
    config_dir: Path, tmp_path: Path
) -> None:
    encoder = WordEncoder()
    meaning = CrisisMeaning(VectorStore(tmp_path / "vectors.npz", encoder))
    guide = load_crisis_guide(config_dir, ("en",))
    meant = meaning.of(guide)("my boy has a fever")
    scores = meant.entries
    assert set(scores) == set(guide.topic_ids) and meant.general < -1  # no general texts given
    assert max(scores, key=lambda t: scores[t]) in {"symptoms", "children", "emergency_signs"}
    built, first = encoder.calls, meaning.index(guide)
    meaning.of(guide)("a mask")
    assert encoder.calls == built + 1  # the question only: the knowledge base's vectors are kept
    assert meaning.index(guide) is first
    edited = load_crisis_guide(config_dir, ("en",))  # a reload after an edit: another snapshot
    assert meaning.index(edited) is not first  # rebuilt for it...
    assert encoder.calls == built + 1  # ...from the stored vectors: its texts were encoded already


def test_the_closest_general_text_is_scored_beside_the_entries(config_dir: Path, tmp_path: Path) -> None:
    encoder = WordEncoder()
    general = encoder.encode(["book a table for two", "the flood of emails in my inbox"])
    meaning = CrisisMeaning(VectorStore(tmp_path / "vectors.npz", encoder), general)
    guide = load_crisis_guide(config_dir, ("en",))
    inbox = meaning.of(guide)("a flood of emails")
    assert inbox.general == pytest.approx(1.0, abs=1e-5)  # the same direction as the second text
    assert meaning.of(guide)("my boy has a fever").general < max(inbox.entries.values())


def test_switched_off_the_knowledge_base_is_read_by_letters_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BARAZA_SENTENCE_VECTORS", "off")
    for cached in (crisis_meaning.default_store, crisis_meaning.default_meaning):
        cached.cache_clear()
    try:
        assert default_meaning() is None and default_detector() is None
    finally:
        for cached in (crisis_meaning.default_store, crisis_meaning.default_meaning):
            cached.cache_clear()
