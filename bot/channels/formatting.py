"""Fitting replies to what a channel can show: plain text, SMS segments, pages behind "MORE".

No Rasa here: the channel adapters (``bot/channels/*``) and the delivery workers share it.

SMS arithmetic (3GPP TS 23.038 / 23.040): a text that uses only the GSM 03.38 alphabet is sent as
GSM-7, 160 septets in one segment or 153 per segment when concatenated; characters of the extension
table (``^{}[]~|€\\`` and form feed) take two septets. Any other character (Arabic, most emoji, "ő")
switches the whole message to UCS-2: 70 UTF-16 units in one segment, 67 per segment when concatenated.
"""

from __future__ import annotations

import functools
import math
import re

#: GSM 03.38 basic character set (the default alphabet).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: GSM 03.38 extension table: each costs an escape septet plus itself.
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

SINGLE = {"GSM-7": 160, "UCS-2": 70}
CONCATENATED = {"GSM-7": 153, "UCS-2": 67}

_URL = re.compile(r"https?://\S+")
_MARKDOWN = [
    (re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)"), r"\1 (\2)"),  # [text](url) -> text (url)
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),  # *italic*
    (re.compile(r"(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w_])"), r"\1"),  # _italic_
    (re.compile(r"`([^`]+)`"), r"\1"),  # code
    (re.compile(r"^#{1,6}\s+", re.MULTILINE), ""),  # headings
]


#: Typographic characters with a GSM-7 equivalent (each would force the whole SMS into UCS-2).
_GSM_FRIENDLY = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "\u00a0": " ",
        "\u202f": " ",
        "«": '"',
        "»": '"',
        "•": "-",
    }
)


def gsm_friendly(text: str) -> str:
    """``text`` with typographic dashes, quotes and spaces made GSM-7, if that makes it all GSM-7.

    A single en dash doubles the cost of an English SMS (UCS-2: 70 characters a segment instead of
    160); Arabic stays as it is, since it needs UCS-2 anyway.
    """
    plain = text.translate(_GSM_FRIENDLY)
    return plain if encoding(plain) == "GSM-7" else text


def encoding(text: str) -> str:
    """``GSM-7`` when every character is in the GSM alphabet, else ``UCS-2``."""
    return "GSM-7" if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text) else "UCS-2"


def units(text: str) -> int:
    """Length in the units of the text's encoding: septets (GSM-7) or UTF-16 code units (UCS-2)."""
    if encoding(text) == "GSM-7":
        return sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
    return len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    """How many SMS segments ``text`` takes (0 for an empty text)."""
    if not text:
        return 0
    kind = encoding(text)
    length = units(text)
    if length <= SINGLE[kind]:
        return 1
    return math.ceil(length / CONCATENATED[kind])


def capacity(text_sample: str, max_segments: int) -> int:
    """Units that fit in ``max_segments`` for text of ``text_sample``'s encoding."""
    kind = encoding(text_sample)
    return SINGLE[kind] if max_segments == 1 else CONCATENATED[kind] * max_segments


@functools.lru_cache(maxsize=512)
def strip_markdown(text: str) -> str:
    """Plain text for channels that do not render Markdown; links keep their address. (Kept for the
    last texts: a delivery worker sends the same alert to thousands.)"""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return text


def _words(text: str) -> list[str]:
    """Words and whitespace runs, keeping each link whole."""
    return [piece for piece in re.split(r"(\s+)", text) if piece]


def paginate(text: str, max_units: int, more: str) -> list[str]:
    """Split ``text`` into pages of at most ``max_units`` (in the text's encoding); every page but the
    last ends with ``more`` (e.g. "Reply MORE"). Breaks between words, never inside a link; a single
    word longer than a page (not a link) is cut."""
    whole = text.strip()
    if units(whole) <= max_units:
        return [whole]
    suffix = "\n" + more
    room = max_units - units(suffix)
    if room <= 0:
        raise ValueError("the MORE prompt does not fit in a page")
    pages: list[str] = []
    current = ""
    for piece in _words(whole):
        candidate = current + piece
        if units(candidate.strip()) <= room:
            current = candidate
            continue
        if current.strip():
            pages.append(current.strip())
            current = ""
        if piece.isspace():
            continue
        while units(piece) > room and not _URL.fullmatch(piece):
            cut = room
            while units(piece[:cut]) > room:
                cut -= 1
            pages.append(piece[:cut])
            piece = piece[cut:]
        current = piece
    if current.strip():
        pages.append(current.strip())
    return [page + suffix for page in pages[:-1]] + [pages[-1]]
