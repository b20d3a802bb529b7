"""Reading YAML data files: every failure names the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.yaml_files import DataFileError, read_yaml_mapping


def test_the_top_level_mapping_is_returned(tmp_path: Path) -> None:
    path = tmp_path / "ok.yml"
    path.write_text("services:\n  passport: {fee: 6000}\n", encoding="utf-8")
    assert read_yaml_mapping(path) == {"services": {"passport": {"fee": 6000}}}


@pytest.mark.parametrize(
    "content,problem",
    [(None, "file not found"), ("key: [unclosed", "invalid YAML"), ("- a\n- list\n", "expected a mapping")],
)
def test_missing_broken_or_non_mapping_files_are_refused_naming_the_file(
    tmp_path: Path, content: str | None, problem: str
) -> None:
    path = tmp_path / "data.yml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=problem) as raised:
        read_yaml_mapping(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert isinstance(raised.value, ValueError)  # callers that keep the last good catalogue catch these
