"""Personal data out of concern texts before anyone but the owning ministry reads them.

What is found and replaced (by a bracketed label, so the text stays readable):

- e-mail addresses;
- payment card numbers (13–19 digits passing the Luhn check) and bank account numbers (10–14 digits);
- phone numbers in international and local forms (8–15 digits, with spaces, dashes, dots or
  brackets; ``+``/``00`` prefixes), in Western or Arabic-Indic digits;
- national ID numbers (Kalima: 8 digits) and other standalone numbers of 7 digits or more that are
  not amounts, years or dates;
- document numbers: one to three letters followed by five or more digits (ID cards, passports,
  driving licences: ``KA1234567``, ``P7654321``, ``DL-884512``);
- names of people, where feasible: after self-introductions ("my name is", "je m'appelle", "me
  llamo", "jina langu ni", "اسمي"...) and titles ("Mr", "Mme", "Sr.", "Bw.", "السيد"...), and runs of
  two or more capitalised words that are not a known place, ministry or organisation.

It is deliberately eager: a false redaction costs an analyst a word, a miss exposes a person. The
labelled set in ``tests/data/redaction/`` measures both (``tests/bot/concerns/test_redaction.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDERS = {
    "email": "[email]",
    "card": "[card number]",
    "phone": "[phone]",
    "id": "[id number]",
    "document": "[document number]",
    "name": "[name]",
}

_DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NUMBERISH = re.compile(rf"(?:\+|00)?[{_DIGITS}(][{_DIGITS}()\s.\-/]{{5,}}[{_DIGITS}]")
_DOCUMENT = re.compile(rf"\b[A-Z]{{1,3}}[\s-]?[{_DIGITS}]{{5,9}}\b")
#: Words after which a number is a quantity, not a person's number.
_QUANTITY_AFTER = re.compile(
    r"^\s*(?:kls|ksh|shillings?|shilingi|sh\.?|francs?|fcfa|usd|dollars?|euros?|€|\$|%|km|m|kg|"
    r"families|familles|familias|famílias|people|personnes|personas|pessoas|watu|households)\b",
    re.IGNORECASE,
)

#: Words that introduce a person's name, per language (lowercase; matched case-insensitively).
_NAME_CUES = [
    # en
    r"my name is",
    r"my name's",
    r"i am called",
    r"called",
    r"named",
    r"this is",
    # fr
    r"je m'appelle",
    r"je m’appelle",
    r"mon nom est",
    r"nommée?",
    r"appelée?",
    # es
    r"me llamo",
    r"mi nombre es",
    r"llamad[oa]",
    # pt
    r"meu nome é",
    r"meu nome e",
    r"me chamo",
    r"chamo-me",
    r"chamad[oa]",
    # sw
    r"jina langu ni",
    r"naitwa",
    r"anaitwa",
    r"aitwaye",
]
_TITLES = [
    r"mr\.?",
    r"mrs\.?",
    r"ms\.?",
    r"miss",
    r"dr\.?",
    r"doctor",
    r"prof\.?",
    r"officer",
    r"chief",
    r"sir",
    r"m\.",
    r"mme",
    r"mlle",
    r"monsieur",
    r"madame",
    r"docteur",
    r"maître",
    r"sr\.?",
    r"sra\.?",
    r"srta\.?",
    r"señor",
    r"señora",
    r"don",
    r"doña",
    r"doctora?",
    r"senhor",
    r"senhora",
    r"dona",
    r"doutora?",
    r"bw\.?",
    r"bi\.?",
    r"bwana",
    r"bibi",
    r"mzee",
    r"dkt\.?",
    r"daktari",
    r"mwalimu",
    r"afisa",
]
_CAPITALISED = r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]+"
_CUED_NAME = re.compile(
    rf"(?i:\b(?:{'|'.join(_NAME_CUES)}|{'|'.join(_TITLES)}))\s+((?:{_CAPITALISED})(?:\s+{_CAPITALISED}){{0,2}})"
)
_RUN_OF_CAPITALS = re.compile(rf"\b{_CAPITALISED}(?:\s+{_CAPITALISED}){{1,3}}\b")
_ARABIC_NAME = re.compile(
    # Arabic has no capitals: names are found after self-introductions, titles and the role or kin
    # words that usually precede them (my neighbour, the nurse, the officer, my son...).
    r"(?:اسمي|إسمي|اسمه|اسمها|السيد|السيدة|الدكتور|الدكتورة|الأستاذ|الاستاذ|الأستاذة|المدير|المديرة|الحاج|"
    r"الشيخ|جاري|جارتي|جارنا|الموظف|الموظفة|الممرض|الممرضة|المعلم|المعلمة|الضابط|الشرطي|الطبيب|الطبيبة|"
    r"المهندس|السائق|المسؤول|ابني|ابنتي|بنتي|زوجي|زوجتي|أخي|اخي|أختي|اختي|المواطن|المواطنة)\s+"
    r"((?:[\u0621-\u064A]+)(?:\s+(?!في|من|على|إلى|الى|عن|مع|و|هو|هي|رقم|قال|كان)[\u0621-\u064A]+){0,2})"
)


@dataclass(frozen=True)
class Finding:
    """A piece of personal data: where, and what kind."""

    start: int
    end: int
    kind: str


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _ascii_digits(text: str) -> str:
    return "".join(str(int(c)) if c.isdigit() else c for c in text)


def _number_kind(match: re.Match[str], text: str) -> str | None:
    raw = match.group()
    if re.fullmatch(rf"[{_DIGITS}]{{1,2}}[/.\-][{_DIGITS}]{{1,2}}[/.\-][{_DIGITS}]{{2,4}}", raw.strip()):
        return None  # a date
    digits = re.sub(r"\D", "", _ascii_digits(raw))
    if len(digits) < 7 or _QUANTITY_AFTER.match(text[match.end() :]):
        return None
    if re.search(r"\s\d{3}$", raw) and len(digits) <= 7 and not raw.startswith(("+", "0")):
        return None  # "1 250 000" style amount grouping without a currency is rare; keep numbers of 8+
    if 13 <= len(digits) <= 19 and _luhn(digits):
        return "card"
    if raw.startswith(("+", "00", "(")) or (digits.startswith("0") and 9 <= len(digits) <= 11):
        return "phone"
    if len(digits) == 8 and " " not in raw.strip():
        return "id"
    if 8 <= len(digits) <= 15 and re.search(r"[\s.\-]", raw.strip()):
        return "phone"
    return "id"


def find_personal_data(text: str, known_names: frozenset[str] = frozenset()) -> list[Finding]:
    """Every piece of personal data found in ``text``, sorted and not overlapping.

    ``known_names`` are lowercase names that are not people (places, ministries, organisations):
    runs of capitalised words made only of them are left alone.
    """
    found: list[Finding] = []
    found += [Finding(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    for match in _NUMBERISH.finditer(text):
        kind = _number_kind(match, text)
        if kind:
            start = match.start() + (len(match.group()) - len(match.group().lstrip()))
            end = match.end() - (len(match.group()) - len(match.group().rstrip(" .-/")))
            found.append(Finding(start, end, kind))
    found += [Finding(m.start(), m.end(), "document") for m in _DOCUMENT.finditer(text)]
    found += [Finding(m.start(1), m.end(1), "name") for m in _CUED_NAME.finditer(text)]
    found += [Finding(m.start(1), m.end(1), "name") for m in _ARABIC_NAME.finditer(text)]
    for match in _RUN_OF_CAPITALS.finditer(text):
        words = [w.strip("'’").lower() for w in match.group().split()]
        if not all(word in known_names for word in words) and " ".join(words) not in known_names:
            found.append(Finding(match.start(), match.end(), "name"))
    return _merge(found)


def _merge(found: list[Finding]) -> list[Finding]:
    merged: list[Finding] = []
    for finding in sorted(found, key=lambda f: (f.start, -f.end)):
        if merged and finding.start < merged[-1].end:
            last = merged[-1]
            if finding.end > last.end:
                merged[-1] = Finding(last.start, finding.end, last.kind)
            continue
        merged.append(finding)
    return merged


def redact(text: str, known_names: frozenset[str] = frozenset()) -> tuple[str, list[Finding]]:
    """``text`` with personal data replaced by labels, and what was found."""
    findings = find_personal_data(text, known_names)
    pieces: list[str] = []
    position = 0
    for finding in findings:
        pieces.append(text[position : finding.start])
        pieces.append(PLACEHOLDERS[finding.kind])
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces), findings


#: Capitalised words that start sentences or name institutions, in the six languages (lowercase).
COMMON_CAPITALISED = frozenset(
    " ".join(
        (
            "the my our his her their this that there we i hello hi dear good please thank thanks",
            "yesterday today since for in on at from and but also when where what who why how",
            "ministry department office hospital clinic school primary secondary university police",
            "station district region city town village street road avenue market national public",
            "county council red cross crescent kalima republic le la les mon ma mes notre nos bonjour",
            "merci depuis dans hier aujourd'hui monsieur madame ministère hôpital école rue route",
            "marché commissariat croix-rouge croissant-rouge république el los las mi mis nuestro",
            "nuestra hola buenos buenas gracias ayer hoy ministerio escuela calle carretera mercado",
            "cruz roja media luna república o os as meu minha nossa olá bom boa obrigado obrigada",
            "ontem hoje ministério rua estrada vermelha crescente habari jambo shikamoo asante tangu",
            "jana leo wizara hospitali shule barabara mtaa soko polisi kituo msalaba mwekundu hilali",
            "jamhuri",
        )
    ).split()
)


def names_from_catalogues(catalogues: object) -> frozenset[str]:
    """Lowercase words of places, ministries and services (never a person), for ``find_personal_data``."""
    from bot.catalogue.bundle import Catalogues

    assert isinstance(catalogues, Catalogues)
    words: set[str] = set(COMMON_CAPITALISED)

    def add(phrase: str) -> None:
        words.update(w.strip(".,'’()").lower() for w in phrase.split())

    for region in catalogues.regions.regions.values():
        add(region.main_town)
        for name in region.names.values():
            add(name)
        for forms in region.spellings.values():
            for form in forms:
                add(form)
    for code in catalogues.languages.codes:
        locale = catalogues.locales[code]
        for name in (*locale.ministry_names.values(), *locale.language_names.values()):
            add(name)
        for service in catalogues.services.services.values():
            add(service.texts[code].name)
    return frozenset(w for w in words if w)
