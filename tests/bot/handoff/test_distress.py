"""Distress in every language, also when the conversation is set to another one; no false alarms on
everyday or crisis-information questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue.bundle import Catalogues
from bot.handoff.distress import DistressKind, DistressWords, load_distress_words
from bot.yaml_files import DataFileError


@pytest.fixture(scope="module")
def words(config_dir: Path, catalogues: Catalogues) -> DistressWords:
    return load_distress_words(config_dir, list(catalogues.languages.codes))


@pytest.mark.parametrize(
    "language,text,kind",
    [
        ("en", "Please help, my husband is beating me", DistressKind.VIOLENCE),
        ("en", "i want to kill myself", DistressKind.SELF_HARM),
        ("en", "my baby is not breathing", DistressKind.MEDICAL_EMERGENCY),
        ("fr", "Il me frappe tous les soirs", DistressKind.VIOLENCE),
        ("fr", "je veux mourir", DistressKind.SELF_HARM),
        ("fr", "Mon père est INCONSCIENT", DistressKind.MEDICAL_EMERGENCY),
        ("es", "mi pareja me golpea", DistressKind.VIOLENCE),
        ("es", "ya no quiero vivir", DistressKind.SELF_HARM),
        ("es", "mi hijo no puede respirar, no respira", DistressKind.MEDICAL_EMERGENCY),
        ("pt", "ele vai me matar", DistressKind.VIOLENCE),
        ("pt", "quero morrer", DistressKind.SELF_HARM),
        ("pt", "nao consigo respirar", DistressKind.MEDICAL_EMERGENCY),
        ("sw", "mume wangu ananipiga", DistressKind.VIOLENCE),
        ("sw", "nataka kujiua", DistressKind.SELF_HARM),
        ("sw", "mtoto wangu hapumui", DistressKind.MEDICAL_EMERGENCY),
        ("ar", "زوجي يضربني كل يوم", DistressKind.VIOLENCE),
        ("ar", "أريد أن أموت", DistressKind.SELF_HARM),
        ("ar", "امي فاقد الوعي", DistressKind.MEDICAL_EMERGENCY),
    ],
)
def test_distress_is_recognised_in_every_language(
    words: DistressWords, language: str, text: str, kind: DistressKind
) -> None:
    assert words.detect(text, language) is kind
    assert words.detect(text, "en" if language != "en" else "fr") is kind  # whatever the conversation's


@pytest.mark.parametrize(
    "text",
    [
        "how much is a passport",
        "what are the signs of heat stroke",
        "what should i do during an earthquake",
        "ninaomba kujua ada ya leseni",
        "comment se protéger des inondations",
        "ما هي أعراض كورونا",
        "",
    ],
)
def test_everyday_and_information_questions_raise_no_alarm(words: DistressWords, text: str) -> None:
    assert words.detect(text, "en") is None


def test_every_language_names_every_kind(config_copy: Path, catalogues: Catalogues) -> None:
    (config_copy / "catalogue" / "distress" / "sw.yml").write_text(
        "violence: [ananipiga]\n", encoding="utf-8"
    )
    with pytest.raises(DataFileError, match="self_harm"):
        load_distress_words(config_copy, list(catalogues.languages.codes))
