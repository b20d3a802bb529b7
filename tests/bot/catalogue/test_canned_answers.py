"""Canned answers: every answer in every language, or the catalogue does not load."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue.bundle import Catalogues
from bot.catalogue.canned_answers import load_canned_answers
from bot.yaml_files import DataFileError
from tests.conftest import edit_yaml


def test_every_answer_is_in_every_language(catalogues: Catalogues) -> None:
    answers = catalogues.canned_answers
    codes = catalogues.languages.codes
    ids = [answer_id for answer_id, _ in answers.in_language("en")]
    assert "emergency" in ids and len(ids) >= 5
    for code in codes:
        texts = answers.in_language(code)
        assert [answer_id for answer_id, _ in texts] == ids and all(text for _, text in texts)
    assert answers.in_language("ar")[0][1] != answers.in_language("en")[0][1]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda data: data["answers"]["greeting"].pop("sw"), "no text in ['sw']"),
        (lambda data: data["answers"]["greeting"].update(ar="  "), "no text in ['ar']"),
        (lambda data: data["answers"]["greeting"].update(de="Hallo"), "unknown languages ['de']"),
        (lambda data: data["answers"].update({"Bad Id": {}}), "answer id"),
        (lambda data: data["answers"]["greeting"].update(en="x" * 1001), "longer than 1000"),
        (lambda data: data.update(answers={}), "'answers' must map"),
    ],
)
def test_a_broken_file_is_refused(
    config_copy: Path, change: object, problem: str, catalogues: Catalogues
) -> None:
    edit_yaml(config_copy / "catalogue" / "canned_answers.yml", change)  # type: ignore[arg-type]
    with pytest.raises(DataFileError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        load_canned_answers(config_copy, catalogues.languages.codes)
