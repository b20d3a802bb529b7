"""Check every data file a citizen's answers come from: ``python -m bot.catalogue.validate``.

Fails (exit 1, one line per problem) on a missing field or language, a locale key or placeholder
missing in a language, or a fee amount that a language's fee text does not mention.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from bot.catalogue.bundle import Catalogues, load_catalogues
from bot.catalogue.concern_routing import CATEGORIES
from bot.catalogue.services import ASPECTS
from bot.i18n.messages import placeholders
from bot.settings import load_settings
from bot.yaml_files import DataFileError


def locale_problems(catalogues: Catalogues) -> list[str]:
    """Keys or placeholders that differ from the default language's locale."""
    problems = []
    reference = catalogues.locales[catalogues.languages.default]
    for code in catalogues.languages.codes:
        locale = catalogues.locales[code]
        for section in ("messages", "page", "console", "dashboard", "inbox"):
            ref_texts: dict[str, str] = getattr(reference, section)
            texts: dict[str, str] = getattr(locale, section)
            for key, ref_text in ref_texts.items():
                if not texts.get(key, "").strip():
                    problems.append(f"locales/{code}.yml: {section}.{key} is missing")
                elif placeholders(texts[key]) != placeholders(ref_text):
                    problems.append(
                        f"locales/{code}.yml: {section}.{key} placeholders "
                        f"{sorted(placeholders(texts[key]))} != {sorted(placeholders(ref_text))}"
                    )
            for key in set(texts) - set(ref_texts):
                problems.append(f"locales/{code}.yml: {section}.{key} is not in the default locale")
        expected = {
            "language_names": set(catalogues.languages.codes),
            "alert_topic_names": set(catalogues.alert_topics.ids),
            "alert_topic_spellings": set(catalogues.alert_topics.ids),
            "ministry_names": set(catalogues.ministries.ministries),
            "concern_category_names": set(CATEGORIES),
            "concern_category_cues": set(CATEGORIES),
            "service_aspect_cues": set(ASPECTS) - {"overview"},
        }
        for section, ids in expected.items():
            missing = ids - set(getattr(locale, section))
            if missing:
                problems.append(f"locales/{code}.yml: {section} lacks {sorted(missing)}")
        if not locale.opt_out_keywords:
            problems.append(f"locales/{code}.yml: opt_out_keywords is empty")
        if not locale.not_places:  # without them "alerts for today" would name a place called Today
            problems.append(f"locales/{code}.yml: not_places is empty")
    return problems


def fee_problems(catalogues: Catalogues) -> list[str]:
    """Fee amounts missing from a language's fee text (digits compared, separators ignored)."""
    problems = []
    for service in catalogues.services.services.values():
        for code, text in service.texts.items():
            fee_text = text.answer("fee")
            digits = re.sub(r"(?<=\d)[\s.,\u00a0\u202f](?=\d{3}\b)", "", fee_text)
            numbers = {int(n) for n in re.findall(r"\d+", digits)}
            for amount in service.fee_amounts:
                if amount not in numbers:
                    problems.append(
                        f"services/{code}.yml: {service.service_id}.fee does not mention {amount}"
                    )
    return problems


def validate(config_dir: Path) -> list[str]:
    """All problems found in the data files under ``config_dir``."""
    try:
        catalogues = load_catalogues(config_dir)
    except (DataFileError, KeyError) as error:
        return [str(error)]
    return locale_problems(catalogues) + fee_problems(catalogues)


def main() -> int:
    """Command-line entry point."""
    problems = validate(load_settings().config_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("catalogues OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
