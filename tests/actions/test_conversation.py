from datetime import timedelta

from actions.conversation import ActionFallback, ActionSmallTalk
from bot.catalogue.bundle import Catalogues
from bot.services import Services, use
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


def test_an_unanswered_turn_is_kept_redacted_for_the_people_who_improve_the_assistant(
    services: Services,
) -> None:
    use(services)
    run_action(ActionFallback(), make_tracker("xyzzy plugh call me on 0712 345 678", "nlu_fallback"))
    run_action(ActionSmallTalk(), make_tracker("hello", "greet"))
    now = services.now()
    kept = services.unanswered.entries(now - timedelta(minutes=5), now + timedelta(minutes=5))
    assert [(e.reason, e.language, e.channel) for e in kept] == [("not_understood", "en", "rest")]
    assert "0712 345 678" not in kept[0].text and "xyzzy" in kept[0].text
    (today,) = services.unanswered.understood(now.date(), now.date())
    assert (today["turns"], today["unanswered"]) == (2, 1)  # the greeting was understood
