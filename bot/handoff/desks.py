"""Desks and their working hours (``config/catalogue/desks.yml``): who answers, and when."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.yaml_files import DataFileError, read_yaml_mapping

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PERIOD = re.compile(r"^(\d\d):(\d\d)-(\d\d):(\d\d)$")
#: How far ahead :meth:`Desk.next_opening` looks (past a long holiday season, a desk is misconfigured).
LOOKAHEAD_DAYS = 60


@dataclass(frozen=True)
class Period:
    """One opening period of a day, local time, end excluded."""

    start: time
    end: time


@dataclass(frozen=True)
class Desk:
    """A team answering citizens: whose it is, what it answers, when it is open."""

    desk_id: str
    ministry: str
    topics: frozenset[str]
    #: Opening periods per weekday (0 = Monday); None: open round the clock.
    hours: tuple[tuple[Period, ...], ...] | None
    holidays: frozenset[date]
    zone: ZoneInfo

    def is_open(self, at: datetime) -> bool:
        """Whether the desk is open at ``at`` (an aware datetime)."""
        local = at.astimezone(self.zone)
        if local.date() in self.holidays:
            return False
        if self.hours is None:
            return True
        return any(p.start <= local.time() < p.end for p in self.hours[local.weekday()])

    def next_opening(self, at: datetime) -> datetime | None:
        """When the desk opens next after ``at`` (``at`` itself when open now); None if never soon."""
        if self.is_open(at):
            return at
        local = at.astimezone(self.zone)
        for offset in range(LOOKAHEAD_DAYS + 1):
            day = local.date() + timedelta(days=offset)
            if day in self.holidays:
                continue
            if self.hours is None:
                return datetime.combine(day, time(0, 0), self.zone)
            for period in self.hours[day.weekday()]:
                opening = datetime.combine(day, period.start, self.zone)
                if opening > local:
                    return opening
        return None


@dataclass(frozen=True)
class DeskDirectory:
    """Every desk, and which one answers a topic."""

    desks: dict[str, Desk]
    general: str

    def get(self, desk_id: str) -> Desk:
        """One desk; KeyError if unknown."""
        return self.desks[desk_id]

    def for_topic(self, topic: str | None) -> Desk:
        """The desk answering ``topic`` (a concern category or crisis hazard), else the general desk."""
        if topic:
            for desk in self.desks.values():
                if topic in desk.topics:
                    return desk
        return self.desks[self.general]

    def open_for_urgent(self, preferred: Desk, at: datetime) -> Desk:
        """``preferred`` when open, else the first desk open at ``at`` (danger does not wait for
        office hours); ``preferred`` when none is."""
        if preferred.is_open(at):
            return preferred
        return next((d for d in self.desks.values() if d.is_open(at)), preferred)


def _periods(path: Path, desk_id: str, raw: object) -> tuple[tuple[Period, ...], ...] | None:
    if raw == "always":
        return None
    if not isinstance(raw, dict) or not set(raw) <= set(WEEKDAYS):
        raise DataFileError(f"{path}: desk {desk_id}: hours must be 'always' or weekdays {WEEKDAYS}")
    days = []
    for weekday in WEEKDAYS:
        periods = []
        for text in raw.get(weekday) or []:
            match = _PERIOD.match(str(text))
            if not match:
                raise DataFileError(f"{path}: desk {desk_id}: {weekday} period {text!r} is not HH:MM-HH:MM")
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            try:
                start, end = time(h1, m1), time(h2, m2)
            except ValueError as error:
                raise DataFileError(f"{path}: desk {desk_id}: {weekday} {text!r}: {error}") from error
            if end <= start:
                raise DataFileError(f"{path}: desk {desk_id}: {weekday} {text!r} ends before it starts")
            periods.append(Period(start, end))
        days.append(tuple(periods))
    return tuple(days)


def desks_path(config_dir: Path) -> Path:
    """Where the desks file of ``config_dir`` is."""
    return config_dir / "catalogue" / "desks.yml"


def load_desks(config_dir: Path, ministries: set[str], path: Path | None = None) -> DeskDirectory:
    """Read and check the desks file (``path``, else the one of ``config_dir``)."""
    path = path or desks_path(config_dir)
    data = read_yaml_mapping(path)
    try:
        zone = ZoneInfo(str(data.get("timezone") or "UTC"))
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise DataFileError(f"{path}: unknown timezone {data.get('timezone')!r}") from error
    desks = {}
    for desk_id, entry in (data.get("desks") or {}).items():
        if not isinstance(entry, dict):
            raise DataFileError(f"{path}: desk {desk_id} must be a mapping")
        ministry = str(entry.get("ministry") or "")
        if ministry not in ministries:
            raise DataFileError(f"{path}: desk {desk_id}: unknown ministry {ministry!r}")
        try:
            holidays = frozenset(
                d if isinstance(d, date) else date.fromisoformat(str(d)) for d in entry.get("holidays") or []
            )
        except ValueError as error:
            raise DataFileError(f"{path}: desk {desk_id}: holidays must be dates: {error}") from error
        desks[str(desk_id)] = Desk(
            desk_id=str(desk_id),
            ministry=ministry,
            topics=frozenset(str(t) for t in entry.get("topics") or []),
            hours=_periods(path, str(desk_id), entry.get("hours")),
            holidays=holidays,
            zone=zone,
        )
    general = str(data.get("general") or "")
    if general not in desks:
        raise DataFileError(f"{path}: general desk {general!r} is not a desk")
    return DeskDirectory(desks=desks, general=general)
