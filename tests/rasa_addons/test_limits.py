"""The Rasa server's limits: the cut before NLU and the body limit (the rate hook is replayed live by
tests/security/test_limits.py)."""

from __future__ import annotations

from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bot.limits.policy import MESSAGE_CUT
from rasa_addons.limits import MAX_BODY_BYTES, cut_message, limit_app


def test_a_long_message_is_cut_and_marked_before_anything_reads_it() -> None:
    message = UserMessage("x" * 1_000_000, sender_id="rest:a", metadata={"language": "sw"})
    cut_message(message, 1000)
    assert message.text == "x" * 1000
    assert message.metadata == {"language": "sw", MESSAGE_CUT: True}


def test_a_short_message_is_left_alone() -> None:
    message = UserMessage("hello", sender_id="rest:a")
    cut_message(message, 1000)
    assert message.text == "hello" and not message.metadata


def test_the_server_refuses_bodies_above_the_limit() -> None:
    app = limit_app(Sanic("limits_test"))
    assert app.config.REQUEST_MAX_SIZE == MAX_BODY_BYTES < 100_000_000
