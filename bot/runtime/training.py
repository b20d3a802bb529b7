"""Train the Rasa model only when its inputs changed: ``python -m bot.runtime.training``."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from bot.catalogue.bundle import load_catalogues
from bot.nlu_lookups import render, target_path, written_examples
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


if __name__ == "__main__":
    ensure_model(load_settings(), force="--force" in sys.argv)
