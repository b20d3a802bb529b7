"""Matching a question to the entry it asks about, by similarity to the entries' question variants."""

from __future__ import annotations

import numpy as np
import pytest

from bot.retrieval import MeaningIndex, QuestionIndex

INDEX = QuestionIndex(
    [
        ("symptoms", "what are the symptoms"),
        ("symptoms", "my son has a fever"),
        ("symptoms", "mtoto wangu ana homa"),
        ("masks", "should i wear a mask"),
        ("masks", "which mask protects best"),
        ("shelters", "where are the shelters"),
    ]
)


def test_the_closest_entry_comes_first_with_one_score_per_entry() -> None:
    ranked = INDEX.rank("my daughter has a fever", top=3)
    assert [r.label for r in ranked] == ["symptoms", *[r.label for r in ranked[1:]]]
    assert len({r.label for r in ranked}) == len(ranked) == 3
    assert ranked[0].score > ranked[1].score >= ranked[2].score


def test_misspellings_and_missing_accents_still_match() -> None:
    assert INDEX.rank("shud i waer a mask")[0].label == "masks"
    assert INDEX.rank("Mtoto wangu ana homa!!")[0].label == "symptoms"
    assert INDEX.rank("WHERE ARE THE SHELTERS")[0].score > 0.99  # case and punctuation are folded away


def test_unrelated_text_scores_low_and_empty_text_matches_nothing() -> None:
    assert INDEX.rank("who won the football yesterday")[0].score < INDEX.rank("a fever")[0].score
    assert INDEX.rank("") == [] and INDEX.rank("?!") == []
    assert QuestionIndex([]).rank("anything") == []


def test_meaning_scores_each_entry_by_its_closest_variant() -> None:
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    index = MeaningIndex(["masks", "fever", "masks"], vectors)
    scores = index.scores(np.array([0.0, 1.0], dtype=np.float32))
    assert scores == pytest.approx({"masks": 0.8, "fever": 1.0})
    assert MeaningIndex([], np.zeros((0, 2), dtype=np.float32)).scores(np.array([1.0, 0.0])) == {}


def test_the_question_vector_is_the_vectorizers_own() -> None:
    """The hand-built query vector (no ``transform`` per message) has the vectorizer's numbers."""
    texts = ["my daughter has a fever fever", "shud i waer a mask", "where where where", "ملاجئ", "zzz", "a"]
    for text in texts:
        expected = INDEX._vectorizer.transform([text]).toarray()[0]
        indices, weights = INDEX._query(text)
        built = np.zeros_like(expected)
        built[indices] = weights
        assert np.allclose(built, expected), text
    assert [r.score for r in INDEX.rank("qqq")] == [0.0, 0.0, 0.0]  # no known n-gram: alike to nothing
