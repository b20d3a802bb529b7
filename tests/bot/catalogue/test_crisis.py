"""The crisis knowledge base: entries with their source and review date, texts in every language,
found by the words citizens use and by the questions they ask."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.catalogue.crisis import (
    MATCH_THRESHOLD,
    MEANING_FLOOR,
    MEANING_RESCUE,
    MeaningScores,
    load_crisis_guide,
)
from bot.yaml_files import DataFileError
from tests.conftest import edit_yaml


def test_entries_in_catalogue_order_with_where_their_facts_come_from(config_dir: Path) -> None:
    guide = load_crisis_guide(config_dir, ("en", "fr"))
    assert guide.topic_ids[0] == "symptoms"
    assert [t.topic_id for t in guide.topics("fr")] == list(guide.topic_ids)
    entry = guide.entry("symptoms")
    assert entry.source and isinstance(entry.reviewed, date)
    menu = guide.menu_topics("en")
    assert menu and all(guide.entry(t.topic_id).menu for t in menu)
    assert len(menu) <= len(guide.topic_ids)
    assert guide.topic("testing", "en").title == "Testing"


def test_a_topic_named_outright_is_found_by_its_words_in_any_language(config_dir: Path) -> None:
    guide = load_crisis_guide(config_dir, ("en", "fr"))
    assert guide.find_in_text("where can I get tested?", "en") == "testing"
    assert guide.find_in_text("I have a fever and a cough", "fr") == "symptoms"  # English words, asked in fr
    assert guide.find_in_text("what time is it", "en") is None


def test_a_question_is_matched_to_the_entry_it_is_most_like(config_dir: Path) -> None:
    guide = load_crisis_guide(config_dir, ("en",))
    match = guide.match("my son has a fever, what should i do")
    assert match is not None and match.topic_id == "symptoms"
    assert match.confident and match.score >= MATCH_THRESHOLD and match.runner_up <= match.score
    assert guide.match("?!") is None  # nothing to compare
    unrelated = guide.match("zzzz qqqq")
    assert unrelated is None or not unrelated.confident


def test_the_meaning_of_a_question_chooses_among_entries_alike_in_letters(config_dir: Path) -> None:
    guide = load_crisis_guide(config_dir, ("en",))
    question = "my son has a fever, what should i do"
    letters = guide.match(question)
    assert letters is not None and letters.topic_id == "symptoms"
    meant = guide.match(
        question, lambda q: MeaningScores({t: (0.99 if t == "masks" else 0.5) for t in guide.topic_ids})
    )
    assert meant is not None and meant.topic_id == "masks"  # meaning weighs more than a few letters
    assert meant.score == letters.score  # the thresholds stay on the letters' scale
    assert meant.understood and meant.confident


def test_a_few_hundredths_of_meaning_outweigh_a_few_hundredths_of_letters(config_dir: Path) -> None:
    """The encoder's cosines lie close together (0.85-0.95 for most questions): a meaning 0.03 closer
    must win over letters 0.07 closer, or the letters of an unseen wording decide alone."""
    guide = load_crisis_guide(config_dir, ("en",))
    question = "how many days after being close to a sick person do signs show up"
    letters = guide.match(question)
    assert letters is not None and letters.topic_id == "isolation_quarantine"  # "close to a sick person"
    near = dict.fromkeys(guide.topic_ids, 0.85) | {"incubation": 0.93, "isolation_quarantine": 0.90}
    meant = guide.match(question, lambda q: MeaningScores(near))
    assert meant is not None and meant.topic_id == "incubation"


def test_a_question_alike_in_letters_but_close_in_meaning_to_no_entry_is_not_understood(
    config_dir: Path,
) -> None:
    guide = load_crisis_guide(config_dir, ("en",))
    far = MeaningScores(dict.fromkeys(guide.topic_ids, MEANING_FLOOR - 0.05))
    match = guide.match("how long does it take to boil an egg", lambda q: far)
    assert match is not None and match.score >= MATCH_THRESHOLD
    assert not match.named and not match.understood and not match.confident
    named = guide.match("what are the symptoms", lambda q: far)  # names the entry: its word decides
    assert named is not None and named.named and named.confident


def test_a_question_closer_in_meaning_to_a_general_text_than_to_any_entry_is_not_understood(
    config_dir: Path,
) -> None:
    guide = load_crisis_guide(config_dir, ("en",))
    near = dict.fromkeys(guide.topic_ids, MEANING_FLOOR + 0.05)
    question = "what are the symptoms"  # names an entry: understood, unless a general text is closer
    assert guide.match(question, lambda q: MeaningScores(near, MEANING_FLOOR)).confident  # type: ignore[union-attr]
    general = guide.match(question, lambda q: MeaningScores(near, MEANING_FLOOR + 0.06))
    assert general is not None and not general.understood and not general.confident


def test_a_question_means_an_entry_alone_only_when_close_and_closer_than_every_general_text() -> None:
    near = {"travel": MEANING_RESCUE + 0.01, "masks": MEANING_RESCUE - 0.2}
    assert MeaningScores(near, MEANING_RESCUE - 0.1).entry_meant == "travel"
    assert MeaningScores(near, MEANING_RESCUE + 0.02).entry_meant is None  # a general text is closer
    far = {"travel": MEANING_RESCUE - 0.01}
    assert MeaningScores(far, MEANING_RESCUE - 0.1).entry_meant is None  # close to no entry
    assert MeaningScores({}).entry_meant is None  # meaning unknown


@pytest.mark.parametrize(
    "change,problem",
    [
        (lambda data: data["topics"]["testing"].pop("source"), "entry 'testing' lacks source"),
        (lambda data: data["topics"]["testing"].update(reviewed="last year"), "reviewed must be a date"),
        (lambda data: data.update(topics={}), "no entries"),
    ],
)
def test_an_entry_without_its_source_or_review_date_is_refused(
    config_copy: Path, change: object, problem: str
) -> None:
    edit_yaml(config_copy / "catalogue" / "crisis.yml", change)  # type: ignore[arg-type]
    with pytest.raises(DataFileError, match=problem):
        load_crisis_guide(config_copy, ("en", "fr"))


def test_a_text_without_an_answer_is_refused_naming_the_file(config_copy: Path) -> None:
    french = config_copy / "catalogue" / "crisis" / "fr.yml"
    edit_yaml(french, lambda data: data["topics"]["testing"].pop("answer"))
    with pytest.raises(DataFileError, match=r"fr\.yml: entry 'testing' lacks answer"):
        load_crisis_guide(config_copy, ("en", "fr"))


def test_every_entry_must_be_in_every_language_and_nothing_else(config_copy: Path) -> None:
    french = config_copy / "catalogue" / "crisis" / "fr.yml"
    edit_yaml(french, lambda data: data["topics"].pop("testing"))
    with pytest.raises(DataFileError, match=r"fr\.yml: entries missing: testing"):
        load_crisis_guide(config_copy, ("en", "fr"))
    edit_yaml(
        french, lambda data: data["topics"].update(testing={}, alien_invasion={"title": "x", "answer": "y"})
    )
    with pytest.raises(DataFileError, match=r"fr\.yml: .*entries not in crisis\.yml: alien_invasion"):
        load_crisis_guide(config_copy, ("en", "fr"))
