"""The Redis key space, built in one place: Baraza's keys under ``baraza:``, Rasa's where Rasa looks."""

from __future__ import annotations

import inspect

import yaml

from bot import redis_keys
from bot.settings import PROJECT_ROOT


def _builders() -> dict[str, object]:
    return {
        name: function
        for name, function in inspect.getmembers(redis_keys, inspect.isfunction)
        if function.__module__ == redis_keys.__name__
    }


def _sample_key(function: object) -> str:
    parameters = inspect.signature(function).parameters  # type: ignore[arg-type]
    return function(*(f"<{p}>" for p in parameters))  # type: ignore[operator,no-any-return]


def test_every_baraza_key_is_under_the_prefix_and_no_two_builders_collide() -> None:
    keys = {name: _sample_key(function) for name, function in _builders().items()}
    assert len(set(keys.values())) == len(keys)
    outside = {name: key for name, key in keys.items() if not key.startswith(f"{redis_keys.PREFIX}:")}
    assert set(outside) == {"rasa_tracker"}  # Rasa's own key, checked against endpoints.yml below


def test_rasas_tracker_key_follows_the_tracker_store_prefix_of_endpoints_yml() -> None:
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    prefix = endpoints["tracker_store"]["key_prefix"]
    assert prefix.isalnum()  # Rasa ignores any other prefix and would use plain "tracker:"
    assert redis_keys.rasa_tracker("telegram:42") == f"{prefix}:tracker:telegram:42"


def test_region_subscribers_are_kept_apart_per_topic() -> None:
    everything = redis_keys.subscribers_of_region("coast")
    health = redis_keys.subscribers_of_region("coast", "health")
    assert everything != health and health.startswith(everything)
    assert redis_keys.subscribers_of_region("coast", None) == everything
    assert redis_keys.recipients("al_1", "alert") != redis_keys.recipients("al_1", "cancel")
