"""USSD screens: the assistant's replies as pages of at most 182 characters (no Rasa here).

A USSD screen holds about 182 characters (Africa's Talking). Every reply is laid out whole, never cut:
its text, then its choices as numbered options, in as many pages as it takes, each page but the last
ending "98 More". "0 Back" shows the previous page (or, on the first page, the previous screen) and
"00 Home" the main menu; both end every page of a screen that waits for the citizen (a menu, or a
question to answer by typing). A reply that asks nothing is an answer: its last page ends the session
(``END``).

Text is broken between words; a word longer than a page (a long link) is broken across pages rather
than lost. An option is kept whole on one page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.assistant.choices import numbered_lines

SCREEN_LIMIT = 182
BACK, HOME, MORE = "0", "00", "98"


@dataclass(frozen=True)
class UssdTexts:
    """The words of the menu furniture in the session's language."""

    back: str
    home: str
    more: str


@dataclass
class Screen:
    """One reply of the assistant, laid out as USSD pages."""

    pages: list[str]
    payloads: list[str] = field(default_factory=list)  #: option number - 1 -> payload
    page: int = 0
    final: bool = False  #: an answer: its last page ends the session

    def current(self) -> tuple[str, bool]:
        """The page to show and whether the session continues (``CON``) after it."""
        last = self.page >= len(self.pages) - 1
        return self.pages[min(self.page, len(self.pages) - 1)], not (self.final and last)

    def forward(self) -> None:
        """ "98": the next page (the last one stays on display)."""
        self.page = min(self.page + 1, len(self.pages) - 1)

    def backward(self) -> bool:
        """ "0": the previous page; False on the first page (then the previous screen is wanted)."""
        if self.page == 0:
            return False
        self.page -= 1
        return True

    def to_json(self) -> dict[str, object]:
        """For the session store."""
        return {"pages": self.pages, "payloads": self.payloads, "page": self.page, "final": self.final}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Screen:
        """Inverse of :meth:`to_json`."""
        return cls(
            pages=[str(p) for p in data["pages"]],  # type: ignore[attr-defined]
            payloads=[str(p) for p in data.get("payloads") or []],  # type: ignore[attr-defined]
            page=int(data.get("page") or 0),  # type: ignore[call-overload]
            final=bool(data.get("final")),
        )


def _pieces(word: str, room: int) -> list[str]:
    """A word in pieces of at most ``room`` characters (only a link or a code is ever that long)."""
    return [word[i : i + room] for i in range(0, len(word), room)] or [""]


def paginate(paragraphs: list[str], options: list[str], room: int) -> list[list[str]]:
    """Lines of each page: the paragraphs broken between words, then the options, each kept whole.

    ``room`` is what a page's content may take (the page's navigation lines not counted). Nothing
    is dropped: joining the pages' words gives back every word of the paragraphs and every option.
    """
    pages: list[list[str]] = [[]]

    def used(lines: list[str]) -> int:
        return len("\n".join(lines))

    def fits(line: str) -> bool:
        return used([*pages[-1], line]) <= room

    for paragraph in paragraphs:
        open_line = False  # whether the paragraph's latest line is on the current page
        for word in paragraph.split() or [""]:
            for piece in _pieces(word, room):
                if open_line and used([*pages[-1][:-1], f"{pages[-1][-1]} {piece}"]) <= room:
                    pages[-1][-1] = f"{pages[-1][-1]} {piece}"  # the screen wraps long lines itself
                elif fits(piece):
                    pages[-1].append(piece)
                    open_line = True
                else:
                    pages.append([piece])
                    open_line = True
    for option in options:
        if not fits(option) and pages[-1]:
            pages.append([])
        if fits(option):
            pages[-1].append(option)
            continue
        for lines in paginate([option], [], room):  # longer than a page: broken like text
            if pages[-1]:
                pages.append([])
            pages[-1].extend(lines)
    trimmed = [_trim(page) for page in pages]
    return [page for page in trimmed if page] or [[]]


def _trim(lines: list[str]) -> list[str]:
    """A page without blank lines at its top or bottom."""
    start, end = 0, len(lines)
    while start < end and not lines[start]:
        start += 1
    while end > start and not lines[end - 1]:
        end -= 1
    return lines[start:end]


def lay_out(text: str, titles: list[str], texts: UssdTexts, *, navigation: bool) -> list[str]:
    """The pages of a reply: its text and numbered options, "98 More" on all but the last page and,
    with ``navigation``, "0 Back  00 Home" at the foot of every page."""
    more = f"{MORE} {texts.more}"
    footer = [f"{BACK} {texts.back}  {HOME} {texts.home}"] if navigation else []
    room = SCREEN_LIMIT - len("\n".join(["", more, *footer]))
    paragraphs = [" ".join(line.split()) for line in text.strip().split("\n")] if text.strip() else []
    pages = paginate(paragraphs, numbered_lines([" ".join(title.split()) for title in titles]), room)
    shown = []
    for number, lines in enumerate(pages):
        last = number == len(pages) - 1
        shown.append("\n".join([*lines, *([] if last else [more]), *footer]))
    return shown


def menu_screen(header: str, titles: list[str], payloads: list[str], texts: UssdTexts, home: bool) -> Screen:
    """A reply with choices: its whole text and numbered options, paged; Back/Home unless ``home``."""
    return Screen(pages=lay_out(header, titles, texts, navigation=not home), payloads=payloads)


def question_screen(text: str, texts: UssdTexts) -> Screen:
    """A question the citizen answers by typing: paged, and the session stays open for the answer."""
    return Screen(pages=lay_out(text, [], texts, navigation=True))


def answer_screen(text: str, texts: UssdTexts) -> Screen:
    """A reply that asks nothing: pages of the answer, the last one ending the session."""
    return Screen(pages=lay_out(text, [], texts, navigation=False), final=True)
