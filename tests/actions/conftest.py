"""Run actions in memory: a tracker built from events, a collecting dispatcher."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.alerts.model import Alert, utc_now
from bot.catalogue.bundle import Catalogues, LiveCatalogues
from bot.concerns.database import make_engine, upgrade
from bot.concerns.service import ConcernService
from bot.concerns.store import ConcernStore
from bot.handoff.service import Agent
from bot.language.identify import LanguageIdentifier
from bot.services import Services, shared, use
from bot.settings import load_settings
from tests.conftest import TEST_REDIS_URL, with_session_parts


class FakeAlerts:
    """Alerts in memory, as the Redis store would return them."""

    def __init__(self) -> None:
        self.alerts: list[Alert] = []

    def active_in_region(self, region_id: str, now: datetime) -> list[Alert]:
        return [a for a in self.alerts if region_id in a.regions and a.is_active(now)]


@pytest.fixture(autouse=True)
def action_services(
    identifier: LanguageIdentifier, live_catalogues: LiveCatalogues, sqlite_url: str
) -> Iterator[Services]:
    """The action server's services, over the test Redis (opened only by a test that needs it) and
    the test's database (the one ``services`` uses too), with the session's catalogues and language
    identifier."""
    services = with_session_parts(
        Services(load_settings({"REDIS_URL": TEST_REDIS_URL, "DATABASE_URL": sqlite_url})),
        identifier,
        live_catalogues,
    )
    use(services)
    yield services
    use(None)


@pytest.fixture()
def fake_alerts(monkeypatch: pytest.MonkeyPatch) -> FakeAlerts:
    alerts = FakeAlerts()
    monkeypatch.setattr(shared(), "active_alerts", alerts)
    return alerts


def make_tracker(
    text: str,
    intent: str,
    entities: dict[str, str] | None = None,
    slots: dict[str, Any] | None = None,
    channel: str = "rest",
    metadata: dict[str, Any] | None = None,
    active_loop: str = "",
    confidence: float = 0.9,
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": [{"entity": k, "value": v} for k, v in (entities or {}).items()],
        "metadata": metadata or {},
    }
    events = [{"event": "user", "text": text, "parse_data": latest, "input_channel": channel}]
    return Tracker(
        sender_id="test",
        slots=dict(slots or {}),
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def run_action(action: Any, tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run an action; return (messages, events)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.fixture()
def concern_service(
    tmp_path: Path, catalogues: Catalogues, monkeypatch: pytest.MonkeyPatch, services: Services
) -> ConcernService:
    url = f"sqlite:///{tmp_path / 'concerns.db'}"
    upgrade(url)
    service = ConcernService(ConcernStore(make_engine(url)), lambda: catalogues, utc_now)
    use(services)
    monkeypatch.setattr(services, "concerns", service)
    return service


@pytest.fixture()
def live_services(services: Services) -> Services:
    """The actions use the test's services over the real test Redis (emptied before and after)."""
    use(services)
    return services


def web_chat_turn(
    action: Any, text: str, intent: str, slots: dict[str, Any] | None = None, **entities: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run ``action`` on a web chat message; (messages, events)."""
    return run_action(action, make_tracker(text, intent, entities, slots=slots or {}, channel="socketio"))


TUESDAY_MORNING = datetime(2026, 12, 1, 7, 0, tzinfo=timezone.utc)  # 10:00 in Nairobi: open
SUNDAY = datetime(2026, 12, 6, 7, 0, tzinfo=timezone.utc)  # the general desk is closed
AMINA = Agent("amina", frozenset({"citizen_services"}))


# Handoff turns ---------------------------------------------------------------------------------


def citizen_tracker(
    sender: str,
    text: str,
    intent: str,
    *,
    channel: str = "socketio",
    language: str = "es",
    slots: dict[str, Any] | None = None,
) -> Tracker:
    """A turn of ``sender`` (a scoped conversation id) on ``channel``, in ``language``."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [], "metadata": {}}
    events = [{"event": "user", "text": text, "parse_data": latest, "input_channel": channel}]
    return Tracker(
        sender_id=sender,
        slots={"language": language, **(slots or {})},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


class Clock:
    """Time that moves on a second each time it is read (citizens ask one after another)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        self.at += timedelta(seconds=1)
        return self.at


@pytest.fixture()
def at_work(services: Services, live_services: Services) -> Services:
    """The live services on a Tuesday morning: the general desk is open."""
    services._clock = Clock(TUESDAY_MORNING)
    return services


def texts_of(messages: list[dict[str, Any]]) -> list[str]:
    return [str(m.get("text") or "") for m in messages]
