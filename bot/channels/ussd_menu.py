"""USSD screens: the assistant's replies as short numbered menus (no Rasa here).

A USSD screen holds about 182 characters (Africa's Talking). A reply with choices becomes a header
line and numbered options, paged with "98 More" when they do not fit; "0 Back" and "00 Home" end
every screen but the home one. A reply without choices is an answer: shown in pages ("98 More"), and
the last page ends the session (``END``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.assistant.choices import numbered_lines

SCREEN_LIMIT = 182
BACK, HOME, MORE = "0", "00", "98"
#: Most characters a menu's header line may take, so the options keep the room.
HEADER_LIMIT = 70


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


def shorten(text: str, limit: int) -> str:
    """The text's first line, cut at a word boundary to ``limit`` characters (with "…")."""
    line = " ".join(text.split("\n")[0].split())
    if len(line) <= limit:
        return line
    cut = line.rfind(" ", 0, limit - 1)
    return line[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:") + "…"


def _fits(lines: list[str]) -> bool:
    return len("\n".join(lines)) <= SCREEN_LIMIT


def menu_screen(header: str, titles: list[str], payloads: list[str], texts: UssdTexts, home: bool) -> Screen:
    """A reply with choices: header, numbered options (paged), More/Back/Home."""
    footer = [] if home else [f"{BACK} {texts.back}  {HOME} {texts.home}"]
    more = f"{MORE} {texts.more}"
    head = [shorten(header, HEADER_LIMIT)] if header.strip() else []
    pages: list[str] = []
    current: list[str] = []
    for line in numbered_lines([shorten(title, 40) for title in titles]):
        if current and not _fits([*head, *current, line, more, *footer]):
            pages.append("\n".join([*head, *current, more, *footer]))
            current = []
        current.append(line)
    pages.append("\n".join([*head, *current, *footer]))
    return Screen(pages=pages, payloads=payloads)


def answer_screen(text: str, texts: UssdTexts) -> Screen:
    """A reply without choices: pages of the answer, the last one ending the session."""
    more = f"\n{MORE} {texts.more}"
    room = SCREEN_LIMIT - len(more)
    words = text.replace("\n", " \n ").split(" ")
    pages: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip(" ") if current else word
        if len(candidate.replace(" \n ", "\n")) <= room:
            current = candidate
            continue
        pages.append(current.replace(" \n ", "\n").strip())
        current = word[:room]
    pages.append(current.replace(" \n ", "\n").strip())
    pages = [p for p in pages if p] or [""]
    shown = [page + more for page in pages[:-1]] + [pages[-1]]
    return Screen(pages=shown, final=True)
