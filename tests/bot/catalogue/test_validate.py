"""The catalogue validation catches what would give a citizen a wrong or missing answer."""

from pathlib import Path

import yaml

from bot.catalogue.validate import validate


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_shipped_catalogues_are_valid(config_dir: Path) -> None:
    assert validate(config_dir) == []


def test_missing_field_is_reported(config_copy: Path) -> None:
    _edit(config_copy / "catalogue/services/sw.yml", lambda d: d["services"]["passport"].pop("fee"))
    problems = validate(config_copy)
    assert any("sw.yml" in p and "passport" in p and "fee" in p for p in problems)


def test_missing_language_file_is_reported(config_copy: Path) -> None:
    (config_copy / "catalogue/crisis/pt.yml").unlink()
    problems = validate(config_copy)
    assert any("crisis/pt.yml" in p for p in problems)


def test_missing_service_in_one_language_is_reported(config_copy: Path) -> None:
    _edit(config_copy / "catalogue/services/ar.yml", lambda d: d["services"].pop("tax_id"))
    assert any("tax_id" in p for p in validate(config_copy))


def test_fee_text_must_state_the_amount(config_copy: Path) -> None:
    def change(data: dict) -> None:  # type: ignore[type-arg]
        data["services"]["police_clearance"]["fee"] = "Il faut payer."

    _edit(config_copy / "catalogue/services/fr.yml", change)
    assert any("police_clearance.fee does not mention 1000" in p for p in validate(config_copy))


def test_locale_key_missing_in_a_language_is_reported(config_copy: Path) -> None:
    _edit(config_copy / "locales/es.yml", lambda d: d["messages"].pop("fallback"))
    assert "locales/es.yml: messages.fallback is missing" in validate(config_copy)


def test_locale_placeholder_mismatch_is_reported(config_copy: Path) -> None:
    def change(data: dict) -> None:  # type: ignore[type-arg]
        data["messages"]["alerts_none"] = "Hakuna tahadhari."

    _edit(config_copy / "locales/sw.yml", change)
    assert any("alerts_none placeholders" in p for p in validate(config_copy))
