"""Choices carry language-neutral payloads: written one way, read back the same way."""

from __future__ import annotations

from bot.assistant.replies import intent_payload, parse_payload


def test_a_payload_round_trips_with_its_entities() -> None:
    payload = intent_payload("subscribe_alerts", region="coast", alert_topic="health")
    assert payload == '/subscribe_alerts{"region":"coast","alert_topic":"health"}'
    assert parse_payload(payload) == ("subscribe_alerts", {"region": "coast", "alert_topic": "health"})
    assert intent_payload("greet") == "/greet"
    assert parse_payload(" /greet ") == ("greet", {})


def test_anything_else_is_not_a_payload() -> None:
    for text in ("hello", "/", "/2fast", '/greet{"a":', "/greet[1]", '/greet["a"]', "greet/"):
        assert parse_payload(text) is None, text
    assert parse_payload('/inform{"n": 2}') == ("inform", {"n": "2"})  # values always come back as text
