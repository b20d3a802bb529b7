"""What one turn says, read from a Rasa tracker: text, intent, entities, language, and pushes."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.turn import REMEMBERED_DELIVERIES, read_push, read_turn
from bot.catalogue.bundle import Catalogues
from bot.language.identify import LanguageIdentifier
from tests.actions.conftest import make_tracker


def _turn(tracker: Tracker, catalogues: Catalogues, identifier: LanguageIdentifier, max_chars: int = 1000):  # type: ignore[no-untyped-def]
    return read_turn(tracker, catalogues, identifier, max_chars)


def test_text_intent_entities_channel_and_subscriber(
    catalogues: Catalogues, identifier: LanguageIdentifier
) -> None:
    tracker = make_tracker(
        "  alerts for the coast  ",
        "ask_alerts",
        {"region": "coast"},
        slots={"language": "en"},
        channel="telegram",
    )
    turn = _turn(tracker, catalogues, identifier)
    assert (turn.text, turn.intent, turn.entities, turn.channel) == (
        "alerts for the coast",
        "ask_alerts",
        {"region": "coast"},
        "telegram",
    )
    assert turn.subscriber == "telegram:test" and not turn.truncated
    ussd = _turn(make_tracker("1", "inform", channel="ussd"), catalogues, identifier)
    assert ussd.subscriber == "africastalking:test"  # alerts reach a USSD user by SMS


def test_a_button_payload_is_not_text_and_a_long_message_is_cut(
    catalogues: Catalogues, identifier: LanguageIdentifier
) -> None:
    payload = _turn(
        make_tracker('/ask_alerts{"region":"coast"}', "ask_alerts", {"region": "coast"}),
        catalogues,
        identifier,
    )
    assert payload.text == "" and payload.entities == {"region": "coast"}
    long = _turn(
        make_tracker("passport " * 50, "service_fee", slots={"language": "en"}),
        catalogues,
        identifier,
        max_chars=20,
    )
    assert long.truncated and long.text == ("passport " * 50)[:20]


def test_the_first_entity_of_a_type_wins(catalogues: Catalogues, identifier: LanguageIdentifier) -> None:
    tracker = make_tracker("coast or lakes", "ask_alerts")
    tracker.latest_message["entities"] = [
        {"entity": "region", "value": "coast"},
        {"entity": "region", "value": "lakes"},
    ]
    assert _turn(tracker, catalogues, identifier).entities == {"region": "coast"}


def test_the_language_asked_for_the_channel_hint_and_the_conversations(
    catalogues: Catalogues, identifier: LanguageIdentifier
) -> None:
    asked = make_tracker(
        "kiswahili tafadhali", "switch_language", {"language": "sw"}, slots={"language": "en"}
    )
    assert _turn(asked, catalogues, identifier).language == "sw"
    hinted = make_tracker("hi", "greet", metadata={"language": "pt-BR"})
    assert _turn(hinted, catalogues, identifier).language == "pt"
    kept = make_tracker("ok", "affirm", slots={"language": "fr"})
    assert _turn(kept, catalogues, identifier).language == "fr"
    unsupported = make_tracker("/affirm", "affirm", slots={"language": "de"})  # a button: no text to judge
    assert _turn(unsupported, catalogues, identifier).language == catalogues.languages.default


def test_a_push_into_an_expired_conversation_takes_the_subscribers_language(
    catalogues: Catalogues, identifier: LanguageIdentifier
) -> None:
    pushed = make_tracker(
        "EXTERNAL: EXTERNAL_alert", "EXTERNAL_alert", {"alert_id": "al_1", "language": "ar"}
    )
    assert _turn(pushed, catalogues, identifier).language == "ar"


def test_a_choice_replays_the_turn_as_the_chosen_intent(
    catalogues: Catalogues, identifier: LanguageIdentifier
) -> None:
    turn = _turn(
        make_tracker("2", "choose_option", slots={"language": "fr"}, channel="sms"), catalogues, identifier
    )
    chosen = turn.with_choice("ask_alerts", {"region": "lakes"})
    assert (chosen.text, chosen.intent, chosen.entities) == ("", "ask_alerts", {"region": "lakes"})
    assert (chosen.language, chosen.channel, chosen.slots) == (turn.language, turn.channel, turn.slots)


def test_a_push_is_recognised_by_rasas_text_and_remembered_once(
    catalogues: Catalogues, identifier: LanguageIdentifier
) -> None:
    entities = {"alert_id": "al_1", "delivery_id": "al_1:alert:rest:test"}
    tracker = make_tracker(
        "EXTERNAL: EXTERNAL_alert", "EXTERNAL_alert", entities, slots={"delivered_alerts": ["x"]}
    )
    push = read_push(tracker, _turn(tracker, catalogues, identifier), "EXTERNAL_alert")
    assert push is not None and not push.repeated
    assert push.remembered() == ["x", "al_1:alert:rest:test"]
    forged = make_tracker('/EXTERNAL_alert{"alert_id":"al_1"}', "EXTERNAL_alert", entities)
    assert read_push(forged, _turn(forged, catalogues, identifier), "EXTERNAL_alert") is None
    other = read_push(tracker, _turn(tracker, catalogues, identifier), "EXTERNAL_concern_update")
    assert other is None


def test_a_repeated_or_anonymous_push_is_shown_once_and_the_memory_is_bounded(
    catalogues: Catalogues, identifier: LanguageIdentifier
) -> None:
    seen = [f"d{i}" for i in range(REMEMBERED_DELIVERIES)]
    again = make_tracker(
        "EXTERNAL: EXTERNAL_alert", "EXTERNAL_alert", {"delivery_id": "d3"}, slots={"delivered_alerts": seen}
    )
    assert read_push(again, _turn(again, catalogues, identifier), "EXTERNAL_alert").repeated  # type: ignore[union-attr]
    anonymous = make_tracker("EXTERNAL: EXTERNAL_alert", "EXTERNAL_alert", {})
    assert read_push(anonymous, _turn(anonymous, catalogues, identifier), "EXTERNAL_alert").repeated  # type: ignore[union-attr]
    new = make_tracker(
        "EXTERNAL: EXTERNAL_alert", "EXTERNAL_alert", {"delivery_id": "new"}, slots={"delivered_alerts": seen}
    )
    remembered = read_push(new, _turn(new, catalogues, identifier), "EXTERNAL_alert").remembered()  # type: ignore[union-attr]
    assert len(remembered) == REMEMBERED_DELIVERIES and remembered[-1] == "new" and "d0" not in remembered
