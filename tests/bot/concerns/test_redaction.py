"""Redaction measured on the labelled set in tests/data/redaction/ (132 texts, six languages)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.catalogue.bundle import Catalogues
from bot.concerns.redaction import find_personal_data, names_from_catalogues, redact
from bot.settings import PROJECT_ROOT

DATA = PROJECT_ROOT / "tests" / "data" / "redaction"
LANGUAGES = ("en", "fr", "es", "ar", "pt", "sw")


def _labelled(path: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    examples = []
    for marked in yaml.safe_load(path.read_text(encoding="utf-8"))["texts"]:
        text, spans, position = "", [], 0
        for match in re.finditer(r"\[\[(.+?)\]\]", marked):
            text += marked[position : match.start()]
            spans.append((len(text), len(text) + len(match.group(1))))
            text += match.group(1)
            position = match.end()
        text += marked[position:]
        examples.append((text, spans))
    return examples


def measure(catalogues: Catalogues, language: str) -> tuple[int, int, int, int]:
    """(personal items, items fully hidden, redactions made, redactions touching no personal data)."""
    known = names_from_catalogues(catalogues)
    items = hidden = made = false = 0
    for text, spans in _labelled(DATA / f"{language}.yml"):
        findings = find_personal_data(text, known)
        covered = {i for f in findings for i in range(f.start, f.end)}
        for start, end in spans:
            items += 1
            if all(i in covered for i in range(start, end) if text[i].isalnum()):
                hidden += 1
        made += len(findings)
        false += sum(1 for f in findings if not any(f.start < e and s < f.end for s, e in spans))
    return items, hidden, made, false


def test_recall_at_least_095_and_false_redactions_reported(
    catalogues: Catalogues, capsys: pytest.CaptureFixture[str]
) -> None:
    totals = [0, 0, 0, 0]
    lines = []
    for language in LANGUAGES:
        items, hidden, made, false = measure(catalogues, language)
        totals = [a + b for a, b in zip(totals, (items, hidden, made, false), strict=True)]
        lines.append(
            f"{language}: recall {hidden / items:.3f} ({hidden}/{items}), false redactions {false}/{made}"
        )
    items, hidden, made, false = totals
    lines.append(
        f"all: recall {hidden / items:.3f}, false-redaction rate {false / made:.3f} ({false}/{made})"
    )
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert items >= 100
    assert hidden / items >= 0.95, lines


def test_redacted_text_keeps_the_rest() -> None:
    text, findings = redact(
        "Call me on +254 712 345 678 or mail amina@example.org about the A104, 5000 KLS paid."
    )
    assert text == "Call me on [phone] or mail [email] about the A104, 5000 KLS paid."
    assert [f.kind for f in findings] == ["phone", "email"]
