"""USSD screens: numbered, paged, within 182 characters, nothing cut; answers end the session."""

from bot.channels.formatting import encoding, gsm_friendly, segments
from bot.channels.ussd_menu import (
    SCREEN_LIMIT,
    Screen,
    UssdTexts,
    answer_screen,
    menu_screen,
    paginate,
    question_screen,
)

TEXTS = UssdTexts(back="Back", home="Home", more="More")


def test_menu_pages_when_options_do_not_fit() -> None:
    titles = [f"Service number {n} with a long name" for n in range(1, 13)]
    screen = menu_screen(
        "Which service do you need? Choose one or type its name:",
        titles,
        [f"/p{n}" for n in range(12)],
        TEXTS,
        home=False,
    )
    assert len(screen.pages) > 1
    assert all(len(page) <= SCREEN_LIMIT for page in screen.pages)
    assert all(page.endswith("0 Back  00 Home") for page in screen.pages)
    assert all("98 More" in page for page in screen.pages[:-1]) and "98 More" not in screen.pages[-1]
    numbers = [
        line.split(".")[0]
        for page in screen.pages
        for line in page.splitlines()
        if line[:1].isdigit() and "." in line[:3]
    ]
    assert numbers == [str(n) for n in range(1, 13)]  # numbered across pages, once each
    page, more = screen.current()
    assert more and page == screen.pages[0]


def test_home_menu_has_no_back() -> None:
    screen = menu_screen("Baraza. Choose:", ["Services", "Crisis"], ["/a", "/b"], TEXTS, home=True)
    assert screen.pages == ["Baraza. Choose:\n1. Services\n2. Crisis"]


def test_answers_end_the_session_on_their_last_page() -> None:
    short = answer_screen("The fee is 6000 KLS.", TEXTS)
    assert short.current() == ("The fee is 6000 KLS.", False)
    long_text = "Bring your birth certificate, national ID, two photos and the fee receipt. " * 5
    screen = answer_screen(long_text, TEXTS)
    assert len(screen.pages) > 1 and all(len(p) <= SCREEN_LIMIT for p in screen.pages)
    assert screen.current()[1] is True
    screen.page = len(screen.pages) - 1
    assert screen.current()[1] is False
    assert " ".join(p.replace("\n98 More", "") for p in screen.pages).split() == long_text.split()


SUMMARY = (
    "Please check your report:\nTopic: Water and sanitation\nProblem: No water in our street for three "
    "days, the pipes are dry and the tank at the school has been empty since Monday morning.\n"
    "Place: Bandari, Coast\nContact you: Yes\nShall I send it?"
)
OPTIONS = ["Send it", "Change the topic", "Change the text", "Change the place", "Cancel"]


def _content(pages: list[str]) -> list[str]:
    """The words of the pages without the furniture (98 More, 0 Back 00 Home)."""
    furniture = {"98 More", "0 Back  00 Home"}
    return [
        word for page in pages for line in page.split("\n") if line not in furniture for word in line.split()
    ]


def test_a_long_menu_text_is_paged_whole_before_its_options() -> None:
    """The report summary used to be cut to its first line ("Please check your report:")."""
    screen = menu_screen(SUMMARY, OPTIONS, [f"/p{n}" for n in range(5)], TEXTS, home=False)
    assert len(screen.pages) > 1
    assert all(len(page) <= SCREEN_LIMIT for page in screen.pages)
    numbered = [f"{n}. {title}" for n, title in enumerate(OPTIONS, start=1)]
    assert _content(screen.pages) == " ".join([*SUMMARY.split("\n"), *numbered]).split()
    assert all(page.endswith("0 Back  00 Home") for page in screen.pages)
    assert all("\n98 More\n" in page for page in screen.pages[:-1]) and "98 More" not in screen.pages[-1]
    assert "Problem: No water" in screen.pages[0]  # the text line by line, as written


def test_an_option_is_never_split_across_pages() -> None:
    titles = [f"Option {n} " + "with words " * 3 for n in range(1, 9)]
    screen = menu_screen("Choose:", titles, [str(n) for n in range(8)], TEXTS, home=False)
    lines = [line for page in screen.pages for line in page.split("\n")]
    assert [line for line in lines if line[:1].isdigit() and ". " in line[:4]] == [
        f"{n}. {title.strip()}" for n, title in enumerate(titles, start=1)
    ]


def test_a_word_longer_than_a_page_is_broken_not_lost() -> None:
    link = "https://services.kalima.example/" + "a" * 300
    screen = answer_screen(f"Apply online: {link} today.", TEXTS)
    assert all(len(page) <= SCREEN_LIMIT for page in screen.pages)
    assert "".join(_content(screen.pages)) == f"Applyonline:{link}today."


def test_a_question_to_type_keeps_the_session_open_on_every_page() -> None:
    screen = question_screen("Please describe the problem in a few sentences. " * 6, TEXTS)
    assert len(screen.pages) > 1
    for number in range(len(screen.pages)):
        screen.page = number
        page, more = screen.current()
        assert more and page.endswith("0 Back  00 Home") and len(page) <= SCREEN_LIMIT


def test_more_and_back_move_between_pages() -> None:
    screen = Screen(pages=["a", "b", "c"])
    assert not screen.backward()  # first page: the previous screen is wanted
    screen.forward()
    screen.forward()
    screen.forward()  # the last page stays
    assert screen.current()[0] == "c"
    assert screen.backward() and screen.current()[0] == "b"
    assert Screen.from_json(screen.to_json()) == screen


def test_paginate_keeps_every_word_within_the_room() -> None:
    words = [f"w{n}" * (n % 7 + 1) for n in range(200)]
    pages = paginate([" ".join(words[:120]), "", " ".join(words[120:])], ["1. x", "2. y"], room=60)
    assert all(len("\n".join(page)) <= 60 for page in pages)
    assert [w for page in pages for line in page for w in line.split()] == [*words, "1.", "x", "2.", "y"]


def test_gsm_friendly_saves_segments_only_where_it_can() -> None:
    text = "Passport – Fee: 6\u00a0000 KLS. " * 5  # an en dash and a no-break space force UCS-2
    assert (encoding(text), segments(text)) == ("UCS-2", 3)  # 140 UTF-16 units
    assert (encoding(gsm_friendly(text)), segments(gsm_friendly(text))) == ("GSM-7", 1)
    arabic = "جواز السفر – الرسوم: 6000"
    assert gsm_friendly(arabic) == arabic
