"""Numbered choices on channels without buttons."""

from __future__ import annotations

from bot.assistant.choices import chosen_payload, for_channel, numbered_lines, numbered_text, typed_number
from bot.assistant.replies import Option, Reply, intent_payload


def test_options_are_numbered_from_one_after_the_hint() -> None:
    assert numbered_lines(["Passport", "ID card"]) == ["1. Passport", "2. ID card"]
    reply = Reply("Which service?", (Option("Passport", "/a"), Option("ID card", "/b")))
    assert (
        numbered_text(reply, "Reply with a number:")
        == "Which service?\nReply with a number:\n1. Passport\n2. ID card"
    )
    assert numbered_text(Reply("No choices."), "Reply with a number:") == "No choices."


def test_only_a_bare_number_in_range_picks_an_option() -> None:
    assert typed_number(" 2 ", 3) == 2
    assert typed_number("3", 3) == 3
    assert typed_number("4", 3) is None and typed_number("0", 3) is None
    assert typed_number("Street 5", 9) is None  # an answer with a number in it is not a choice
    assert typed_number("2.", 3) is None


def test_anywhere_finds_the_number_in_a_text_understood_as_a_choice() -> None:
    assert typed_number("number 2 please", 3, anywhere=True) == 2
    assert typed_number("2.", 3, anywhere=True) == 2
    assert typed_number("the first", 3, anywhere=True) is None
    assert typed_number("number 7", 3, anywhere=True) is None


def test_the_chosen_payload_is_the_offered_option_read_back() -> None:
    offered = [intent_payload("ask_alerts", region="coast"), intent_payload("ask_alerts", region="lakes")]
    assert chosen_payload("2", offered) == ("ask_alerts", {"region": "lakes"})
    assert chosen_payload("option 1", offered, anywhere=True) == ("ask_alerts", {"region": "coast"})
    assert chosen_payload("3", offered) is None
    assert chosen_payload("1", []) is None


def test_a_follow_up_offer_joins_the_answer_without_buttons_and_is_left_out_on_ussd() -> None:
    home = Option("Main menu", "/help")
    answer = Reply("Passport – Fee:\n6000 KLS.")
    offer = Reply("More about Passport:", (Option("Documents", "/service_documents"), home), follow_up=True)
    assert for_channel((answer, offer), "/help", text_only=False, navigating=False) == (answer, offer)
    assert for_channel((answer, offer), "/help", text_only=True, navigating=False) == (
        Reply(
            "Passport – Fee:\n6000 KLS.\nMore about Passport:", (Option("Documents", "/service_documents"),)
        ),
    )
    assert for_channel((answer, offer), "/help", text_only=False, navigating=True) == (answer,)
    menu = Reply("Which region?", (Option("Coast", "/x"), home))
    assert for_channel((menu,), "/help", text_only=True, navigating=False) == (
        Reply("Which region?", (Option("Coast", "/x"),)),
    )


def test_without_buttons_a_reply_keeps_whose_words_they_are_and_that_it_awaits_text() -> None:
    """A desk person's words on SMS are still theirs (the inbox shows them as the person's), and a
    question asking to type still says so."""
    words = Reply("Buenas tardes, le escucho.", by_person=True)
    question = Reply("Describe the problem:", (Option("Main menu", "/help"),), awaits_text=True)
    assert for_channel((words, question), "/help", text_only=True, navigating=False) == (
        words,
        Reply("Describe the problem:", awaits_text=True),
    )
