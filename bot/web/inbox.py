"""Rendering the agents' handoff inbox page in the chosen language.

The page's frame (sign-in, headings, the reply, transfer and end forms) is rendered on the server, so
it reads with a screen reader before any script runs; ``inbox.js`` signs in with an agent key (a key
of another role is told the inbox is not theirs), lists the queues, opens a conversation and follows
the desks' live events (Server-Sent Events from ``/api/v1/handoffs/events``) without a reload.
"""

from __future__ import annotations

import html

from bot.catalogue.bundle import Catalogues
from bot.handoff.inbox import MAX_NOTE, MAX_REPLY
from bot.handoff.model import EndReason
from bot.web.staff import SIGN_IN_TEXTS, render_staff_page


def render_inbox(catalogues: Catalogues, language: str) -> str:
    """The inbox page HTML in ``language``."""
    locale = catalogues.locales[language]
    texts = {**{k: locale.console[k] for k in SIGN_IN_TEXTS}, **locale.inbox}
    reasons = "\n".join(
        f'<option value="{r.value}">{html.escape(texts["reason_" + r.value])}</option>' for r in EndReason
    )
    config = {
        "language": language,
        "texts": texts,
        "ministries": dict(locale.ministry_names),
        "languageNames": {code: locale.language_names[code] for code in catalogues.languages.codes},
        "directions": {lang.code: lang.direction for lang in catalogues.languages.languages},
    }
    values = {"reason_options": reasons, "max_reply": str(MAX_REPLY), "max_note": str(MAX_NOTE)}
    return render_staff_page(catalogues, language, "inbox", texts, values, config)
