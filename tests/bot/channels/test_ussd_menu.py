"""USSD screens: numbered, paged, within 182 characters; answers end the session."""

from bot.channels.formatting import encoding, gsm_friendly, segments
from bot.channels.ussd_menu import SCREEN_LIMIT, UssdTexts, answer_screen, menu_screen, shorten

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


def test_shorten_cuts_at_a_word() -> None:
    assert (
        shorten("Hello! I am Baraza, the citizen assistant of the Republic of Kalima.", 30)
        == "Hello! I am Baraza, the…"
    )


def test_gsm_friendly_saves_segments_only_where_it_can() -> None:
    text = "Passport – Fee: 6\u00a0000 KLS. " * 5  # an en dash and a no-break space force UCS-2
    assert (encoding(text), segments(text)) == ("UCS-2", 3)  # 140 UTF-16 units
    assert (encoding(gsm_friendly(text)), segments(gsm_friendly(text))) == ("GSM-7", 1)
    arabic = "جواز السفر – الرسوم: 6000"
    assert gsm_friendly(arabic) == arabic
