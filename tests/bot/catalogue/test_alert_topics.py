"""Alert topics: every CAP category falls under exactly one topic."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue.alert_topics import CAP_CATEGORIES, AlertTopics, load_alert_topics
from bot.yaml_files import DataFileError
from tests.conftest import edit_yaml


def test_categories_map_to_their_topics_in_order_without_repeats() -> None:
    topics = AlertTopics({"weather": ("Met",), "security": ("Safety", "Security"), "other": ("Other",)})
    assert topics.ids == ("weather", "security", "other")
    assert topics.for_categories(("Security", "Met", "Safety")) == ("security", "weather")
    assert topics.for_categories(("Fire",)) == ()


def test_the_shipped_topics_cover_every_cap_category(config_dir: Path) -> None:
    topics = load_alert_topics(config_dir)
    for category in CAP_CATEGORIES:
        assert len(topics.for_categories((category,))) == 1, category


@pytest.mark.parametrize(
    "change,problem",
    [
        (lambda data: data["topics"]["weather"].append("Weather"), "unknown CAP categories: ['Weather']"),
        (lambda data: data["topics"].pop("fire"), "uncovered: ['Fire']"),
        (lambda data: data["topics"]["weather"].append("Geo"), "repeated: ['Geo']"),
    ],
)
def test_a_topic_file_that_does_not_cover_each_category_once_is_refused(
    config_copy: Path, change: object, problem: str
) -> None:
    edit_yaml(config_copy / "catalogue" / "alert_topics.yml", change)  # type: ignore[arg-type]
    with pytest.raises(DataFileError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        load_alert_topics(config_copy)
