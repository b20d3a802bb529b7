"""SMS segments (GSM-7 and UCS-2, Arabic included), Markdown stripping, pages behind MORE."""

import pytest

from bot.channels.formatting import capacity, encoding, paginate, segments, strip_markdown, units


@pytest.mark.parametrize(
    ("text", "kind", "count", "parts"),
    [
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("{" * 80, "GSM-7", 160, 1),  # extension characters take two septets
        ("€" * 81, "GSM-7", 162, 2),
        ("Où est la mairie ? Ça coûte 500 KLS.", "UCS-2", 36, 1),  # "ç" (not "Ç") and "û" are not GSM
        ("Où est la mairie ?", "GSM-7", 18, 1),  # "ù" is
        ("ب" * 70, "UCS-2", 70, 1),
        ("ب" * 71, "UCS-2", 71, 2),
        (
            "تحذير من الفيضانات في منطقة الساحل. توجهوا إلى المرتفعات فوراً واتبعوا تعليمات الدفاع المدني.",
            "UCS-2",
            93,
            2,
        ),
        ("Flood 🌊", "UCS-2", 8, 1),  # an emoji is two UTF-16 units
        ("", "GSM-7", 0, 0),
    ],
)
def test_segments(text: str, kind: str, count: int, parts: int) -> None:
    assert (encoding(text), units(text), segments(text)) == (kind, count, parts)


def test_markdown_is_stripped_and_links_kept() -> None:
    text = (
        "**Flood warning** in _Bandari_: see [the map](https://kalima.example/map?a=1) and `code`.\n# Title"
    )
    assert (
        strip_markdown(text)
        == "Flood warning in Bandari: see the map (https://kalima.example/map?a=1) and code.\nTitle"
    )
    assert strip_markdown("2 * 3 * 4 and snake_case_name") == "2 * 3 * 4 and snake_case_name"


def test_pages_fit_keep_links_whole_and_end_with_more() -> None:
    link = "https://services.kalima.example/passport/apply-online-with-your-national-id"
    text = ("Bring your birth certificate and two photos. " * 6) + link + " Open Monday to Friday."
    limit = capacity(text, 1)
    pages = paginate(text, limit, "Reply MORE")
    assert len(pages) > 1
    assert all(segments(page) == 1 for page in pages)
    assert all(page.endswith("\nReply MORE") for page in pages[:-1])
    assert not pages[-1].endswith("Reply MORE")
    assert sum(link in page for page in pages) == 1
    rebuilt = " ".join(page.removesuffix("\nReply MORE") for page in pages)
    assert rebuilt.split() == text.split()


def test_arabic_pages_fit_ucs2_segments() -> None:
    text = "تحذير من الفيضانات في منطقة الساحل. " * 8
    pages = paginate(text, capacity(text, 2), "أرسل المزيد")
    assert all(encoding(p) == "UCS-2" and segments(p) <= 2 for p in pages)
    assert len(pages) == 3
