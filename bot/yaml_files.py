"""Reading the project's YAML data files, with errors that name the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class DataFileError(ValueError):
    """A data file is missing, unreadable or does not follow its schema."""


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """Return the top-level mapping of a YAML file."""
    try:
        with path.open(encoding="utf-8") as handle:
            content = yaml.safe_load(handle)
    except FileNotFoundError as error:
        raise DataFileError(f"{path}: file not found") from error
    except yaml.YAMLError as error:
        raise DataFileError(f"{path}: invalid YAML: {error}") from error
    if not isinstance(content, dict):
        raise DataFileError(f"{path}: expected a mapping at the top level")
    return content
