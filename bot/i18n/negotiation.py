"""Which supported language a request is answered in."""

from __future__ import annotations

from bot.i18n.languages import LanguageRegistry


def pick_language(languages: LanguageRegistry, query_lang: str | None, accept_language: str | None) -> str:
    """The language asked for (``?lang=``, an Open311 ``locale``), else the client's preference
    (``Accept-Language``, by quality then order), else the default."""
    chosen = languages.normalise(query_lang)
    if chosen:
        return chosen
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        pieces = part.strip().split(";")
        quality = 1.0
        for piece in pieces[1:]:
            if piece.strip().startswith("q="):
                try:
                    quality = float(piece.strip()[2:])
                except ValueError:
                    quality = 0.0
        code = languages.normalise(pieces[0])
        if code:
            weighted.append((-quality, position, code))
    return sorted(weighted)[0][2] if weighted else languages.default
