import pytest

from actions.conversation import ActionFallback, ActionSmallTalk
from bot.catalogue.bundle import Catalogues
from tests.actions.conftest import make_tracker, run_action, slot_events


def test_greeting_says_what_it_can_do_with_choices(catalogues: Catalogues) -> None:
    messages, _ = run_action(ActionSmallTalk(), make_tracker("hello", "greet"))
    assert messages[0]["text"] == catalogues.locales["en"].text("greeting")
    assert len(messages[0]["buttons"]) == 7


def test_greeting_uses_the_browser_language_hint(catalogues: Catalogues) -> None:
    tracker = make_tracker("hi", "greet", metadata={"language": "pt-BR"})
    messages, events = run_action(ActionSmallTalk(), tracker)
    assert messages[0]["text"] == catalogues.locales["pt"].text("greeting")
    assert slot_events(events)["language"] == "pt"


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_message_gets_asked_to_type(catalogues: Catalogues, text: str) -> None:
    messages, _ = run_action(ActionFallback(), make_tracker(text, "nlu_fallback", slots={"language": "es"}))
    assert messages[0]["text"] == catalogues.locales["es"].text("empty_message")


def test_emoji_only_gets_the_fallback(catalogues: Catalogues) -> None:
    messages, _ = run_action(ActionSmallTalk(), make_tracker("😀🙏", "greet", slots={"language": "fr"}))
    assert messages[0]["text"] == catalogues.locales["fr"].text("fallback")


def test_very_long_message_is_cut_and_the_citizen_told(catalogues: Catalogues) -> None:
    text = "I need to know the fee for a new passport. " * 300
    messages, _ = run_action(ActionSmallTalk(), make_tracker(text, "greet", slots={"language": "en"}))
    assert messages[0]["text"] == catalogues.locales["en"].text("message_too_long")
