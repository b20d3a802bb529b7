"""Desks' hours as citizens meet them: open, closed at night, on a holiday, and when they open next."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from bot.handoff.desks import load_desks
from bot.yaml_files import DataFileError

MINISTRIES = {"interior", "health", "disaster", "water"}


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_a_desk_is_open_in_its_hours_in_the_country_s_time_zone(config_dir: Path) -> None:
    desk = load_desks(config_dir, MINISTRIES).get("citizen_services")
    assert desk.is_open(_utc(2026, 12, 1, 6, 0))  # Tuesday 09:00 in Nairobi
    assert not desk.is_open(_utc(2026, 12, 1, 4, 0))  # 07:00
    assert not desk.is_open(_utc(2026, 12, 4, 10, 30))  # Friday 13:30: lunch
    assert not desk.is_open(_utc(2026, 12, 25, 8, 0))  # a holiday


def test_when_closed_the_next_opening_is_named(config_dir: Path) -> None:
    desk = load_desks(config_dir, MINISTRIES).get("citizen_services")
    saturday_evening = _utc(2026, 12, 5, 15, 0)
    assert desk.next_opening(saturday_evening) == datetime.fromisoformat("2026-12-07T08:00:00+03:00")
    christmas_eve_night = _utc(2026, 12, 24, 19, 0)  # 25 and 26 are holidays, 27 is a Sunday
    assert desk.next_opening(christmas_eve_night) == datetime.fromisoformat("2026-12-28T08:00:00+03:00")
    now = _utc(2026, 12, 1, 6, 0)
    assert desk.next_opening(now) == now


def test_topics_find_their_desk_and_the_rest_the_general_one(config_dir: Path) -> None:
    desks = load_desks(config_dir, MINISTRIES)
    assert desks.for_topic("water_sanitation").desk_id == "water_desk"
    assert desks.for_topic("covid19").desk_id == "health_line"
    assert desks.for_topic("passport").desk_id == desks.for_topic(None).desk_id == "citizen_services"
    assert desks.get("health_line").is_open(_utc(2026, 12, 25, 2, 0))  # round the clock


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("hours", {"mon": ["17:00-08:00"]}, "ends before it starts"),
        ("hours", {"mon": ["8-17"]}, "HH:MM-HH:MM"),
        ("hours", {"someday": []}, "weekdays"),
        ("ministry", "nobody", "unknown ministry"),
        ("holidays", ["Christmas"], "must be dates"),
    ],
)
def test_a_broken_desks_file_is_refused_with_the_reason(
    config_copy: Path, field: str, value: object, message: str
) -> None:
    path = config_copy / "catalogue" / "desks.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["desks"]["citizen_services"][field] = value
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        load_desks(config_copy, MINISTRIES)
