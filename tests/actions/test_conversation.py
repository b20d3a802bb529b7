from actions.conversation import ActionSmallTalk
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
