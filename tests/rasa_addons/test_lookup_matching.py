"""Looking the catalogues' names up finds exactly what Rasa's lookup patterns find."""

from __future__ import annotations

import json
import re

import pytest
from rasa.nlu.extractors.regex_entity_extractor import RegexEntityExtractor
from rasa.nlu.utils import pattern_utils
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.settings import PROJECT_ROOT
from rasa_addons import lookup_matching

EDGE_CASES = [
    "",
    "?!",
    "passport",
    "PASSPORT passport Passport",
    "birth certificate, birth, certificate",
    "I need a birth-certificate.",
    "covid-19 / COVID 19 / covid19",
    "passports",  # a form's plural that is no form: no match inside a word
    "my_passport",  # "_" is a word character: no boundary before "passport"
    "passport2",
    "(passport)",
    "  passport  ",
    "Ni wapi naweza kupata pasipoti?",
    "أين أجد جواز السفر؟",
    "جواز السفر",
    "État civil à Dakar",
    "ETAT CIVIL",
    "İstanbul passport",  # lowercases to a longer text: left to the regular expression
    "passport 🙂 flood",
    "Bandari Bandari Bandari",
    "carte d'identité",
    "carte d’identité",
]


@pytest.fixture(scope="module")
def training_data() -> TrainingData:
    return load_data(str(PROJECT_ROOT / "data" / "nlu"))


@pytest.fixture(scope="module")
def patterns(training_data: TrainingData) -> list[dict[str, str]]:
    data = training_data
    found: list[dict[str, str]] = pattern_utils.extract_patterns(
        data, use_lookup_tables=True, use_regexes=False, use_only_entities=True, use_word_boundaries=True
    )
    assert {p["name"] for p in found} >= {"service", "region", "crisis_topic"}
    assert sum(p["pattern"].count("\\b|\\b") for p in found) > 5000
    return found


@pytest.fixture(scope="module")
def texts(training_data: TrainingData) -> list[str]:
    found = [str(m.get("text")) for m in training_data.training_examples]
    for part in ("dev", "test"):
        lines = (PROJECT_ROOT / "bench" / "real" / f"{part}.jsonl").read_text(encoding="utf-8").splitlines()
        found += [json.loads(line)["text"] for line in lines if line.strip()]
    return found + EDGE_CASES


def _extractor(patterns: list[dict[str, str]]) -> RegexEntityExtractor:
    extractor = RegexEntityExtractor.__new__(RegexEntityExtractor)
    extractor.patterns = patterns
    extractor._config = {"case_sensitive": False}
    extractor.case_sensitive = False
    return extractor


def test_every_lookup_pattern_is_read_as_forms(patterns: list[dict[str, str]]) -> None:
    assert all(lookup_matching.forms_of(p["pattern"]) is not None for p in patterns)


def test_the_same_entities_as_the_patterns_on_every_text(
    patterns: list[dict[str, str]], texts: list[str]
) -> None:
    extractor = _extractor(patterns)
    assert len(texts) > 8000
    differ = []
    for text in texts:
        message = Message({"text": text})
        if lookup_matching.extract(extractor, message) != lookup_matching._ORIGINAL_EXTRACT(
            extractor, message
        ):
            differ.append(text)
    assert differ == []


def test_the_first_listed_form_wins_where_several_start(patterns: list[dict[str, str]]) -> None:
    pattern = (
        "(\\b" + "\\b|\\b".join(re.escape(f) for f in ["birth", "birth certificate", "certificate"]) + "\\b)"
    )
    forms = lookup_matching.forms_of(pattern)
    assert forms is not None
    text = "Birth certificate please"
    assert lookup_matching.spans(text, forms) == [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]
    assert lookup_matching.spans(text, forms) == [(0, 5), (6, 17)]


def test_a_pattern_built_otherwise_is_left_to_the_regular_expression() -> None:
    assert lookup_matching.forms_of("(passport|visa)") is None  # no word boundaries
    assert lookup_matching.forms_of("[0-9]+") is None  # a regex feature, not a lookup table
    extractor = _extractor([{"name": "service", "pattern": "(passport|visa)"}])
    found = lookup_matching.extract(extractor, Message({"text": "my passports"}))
    assert [(e["start"], e["end"], e["value"]) for e in found] == [(3, 11, "passport")]


def test_word_boundaries_are_those_of_the_regular_expression() -> None:
    for text in EDGE_CASES:
        expected = sorted({m.start() for m in re.finditer(r"\b", text)})
        assert lookup_matching.boundaries(text) == expected, text


def test_extraction_is_installed_only_by_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RegexEntityExtractor, "_extract_entities", lookup_matching._ORIGINAL_EXTRACT)
    assert RegexEntityExtractor._extract_entities is lookup_matching._ORIGINAL_EXTRACT
    lookup_matching.apply()
    assert RegexEntityExtractor._extract_entities is lookup_matching.extract
