"""A short message carrying a ticket reference asks for its status, in any language."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_addons.ticket_reference import TicketReferenceClassifier


def _classify(text: str, max_words: int = 12) -> str:
    message = Message({TEXT: text, INTENT: {"name": "nlu_fallback", "confidence": 0.2}})
    TicketReferenceClassifier({"intent": "check_concern_status", "max_words": max_words}).process([message])
    return str(message.get(INTENT)["name"])


def test_short_messages_with_a_reference_ask_for_its_status() -> None:
    for text in ("¿estado de k7p2qx?", "hali ya K7P2QX", "K7P2QX"):
        assert _classify(text) == "check_concern_status", text


def test_other_messages_keep_their_intent() -> None:
    assert _classify("please update me") == "nlu_fallback"  # six letters but no digit
    assert _classify('/check_concern_status{"ticket":"K7P2QX"}') == "nlu_fallback"  # a payload decides itself
    long = "I filed a report about the water K7P2QX and nobody came to repair the pump at the market"
    assert _classify(long) == "nlu_fallback"
    assert _classify(long, max_words=30) == "check_concern_status"


def test_the_defaults_are_the_status_intent_and_twelve_words() -> None:
    assert TicketReferenceClassifier.get_default_config() == {
        "intent": "check_concern_status",
        "max_words": 12,
    }
