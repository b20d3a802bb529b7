"""Finding which entry a question asks about, by similarity to the ways each entry is asked.

Each entry (a crisis topic) comes with question variants and keywords in every language. A citizen's
question is compared with all of them by the cosine of character n-gram TF-IDF vectors of the folded
texts: n-grams survive misspellings, missing accents, dialect spellings and words glued or split
("corona virus", "koronavirus"), which word matching does not. The entry's score is its best variant's.

Nothing is trained: the index is rebuilt from the catalogue when it changes, so editing an entry's
questions changes the answers at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.phrases import fold

#: Character n-grams within word boundaries: long enough to carry meaning, short enough for typos.
NGRAMS = (2, 5)


@dataclass(frozen=True)
class Ranked:
    """An entry and how similar the question is to its closest variant (0 to 1)."""

    label: str
    score: float


class QuestionIndex:
    """Question variants of labelled entries, searched by similarity."""

    def __init__(self, variants: Iterable[tuple[str, str]]) -> None:
        """``variants``: (label, text) pairs; several per label."""
        pairs = sorted(((label, fold(text)) for label, text in variants if fold(text)), key=lambda p: p[0])
        labels = [label for label, _ in pairs]
        #: variants are grouped by label: where each label's run starts, and the labels in that order
        self._starts = np.array([i for i, label in enumerate(labels) if i == 0 or labels[i - 1] != label])
        self._labels = [labels[i] for i in self._starts]
        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True)
        matrix = self._vectorizer.fit_transform([text for _, text in pairs]) if pairs else None
        #: n-gram -> its weight in each variant: a question's few n-grams pick their rows (much faster
        #: than multiplying the whole variant matrix by a sparse vector).
        self._by_ngram = matrix.T.tocsr() if matrix is not None else None
        #: the vectorizer's own pieces, for :meth:`_query` (its ``transform`` costs more in checks and
        #: sparse-matrix building than in arithmetic, on every message)
        self._analyze = self._vectorizer.build_analyzer()
        self._vocabulary: dict[str, int] = dict(getattr(self._vectorizer, "vocabulary_", {}))
        self._idf: npt.NDArray[np.float64] = getattr(self._vectorizer, "idf_", np.zeros(0))

    def rank(self, text: str, top: int = 3) -> list[Ranked]:
        """The ``top`` entries closest to ``text``, best first (one score per entry)."""
        folded = fold(text)
        if self._by_ngram is None or not folded:
            return []
        indices, weights = self._query(folded)
        if not len(indices):
            return [Ranked(label, 0.0) for label in self._labels[:top]]
        scores = np.asarray(self._by_ngram[indices].T @ weights).ravel()
        best = np.maximum.reduceat(scores, self._starts)  # each label's closest variant
        order = np.argsort(-best, kind="stable")[:top]
        return [Ranked(self._labels[i], round(float(best[i]), 4)) for i in order]

    def _query(self, folded: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The folded text's TF-IDF vector as (n-gram columns, weights): what the vectorizer's
        ``transform`` computes (sublinear term frequency times IDF, unit length), without it."""
        counts: dict[int, int] = {}
        for gram in self._analyze(folded):
            column = self._vocabulary.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        indices = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
        tf = np.log(np.fromiter((counts[i] for i in indices), dtype=np.float64, count=len(indices))) + 1.0
        weights = tf * self._idf[indices]
        return indices, weights / np.sqrt(weights @ weights)


class MeaningIndex:
    """Sentence vectors of labelled entries' variants (:mod:`bot.sentence_vectors`), searched by cosine.

    The counterpart of :class:`QuestionIndex` for meaning: each label's score is its closest variant's.
    """

    def __init__(self, labels: list[str], vectors: npt.NDArray[np.float32]) -> None:
        """``labels[i]`` is the entry of row ``vectors[i]`` (unit rows)."""
        order = sorted(range(len(labels)), key=lambda i: labels[i])
        self._matrix = vectors[order] if len(order) else vectors
        ordered = [labels[i] for i in order]
        self._starts = np.array([i for i, label in enumerate(ordered) if i == 0 or ordered[i - 1] != label])
        self._labels = [ordered[i] for i in self._starts]

    def scores(self, vector: npt.NDArray[np.float32]) -> dict[str, float]:
        """Each label's closest variant's cosine with ``vector`` (a unit row)."""
        if not self._labels:
            return {}
        best = np.maximum.reduceat(self._matrix @ vector, self._starts)
        return {label: float(score) for label, score in zip(self._labels, best, strict=True)}
