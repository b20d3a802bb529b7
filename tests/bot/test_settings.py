"""Settings come from the environment, in one place; a wrong value is refused naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, Settings, load_settings


def test_an_empty_environment_gives_the_defaults() -> None:
    assert load_settings({}) == Settings()
    assert Settings().config_dir == PROJECT_ROOT / "config"


def test_values_are_read_trimmed_and_urls_lose_their_trailing_slash(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "REDIS_URL": " redis://cache:6379/2 ",
            "RASA_URL": "http://rasa:5005/",
            "BARAZA_WEB_PORT": " 9090 ",
            "BARAZA_DATA_DIR": str(tmp_path),
            "TELEGRAM_TOKEN": " 123:abc ",
            "BARAZA_API_URL": "https://baraza.example/",
        }
    )
    assert settings.redis_url == "redis://cache:6379/2"
    assert settings.rasa_url == "http://rasa:5005"
    assert settings.web_port == 9090
    assert settings.data_dir == tmp_path
    assert settings.telegram_token == "123:abc"
    assert settings.api_url == "https://baraza.example"
    assert load_settings({"BARAZA_WEB_PORT": ""}).web_port == Settings().web_port  # empty: the default


def test_the_database_is_sqlite_in_the_data_folder_unless_configured(tmp_path: Path) -> None:
    assert load_settings({"BARAZA_DATA_DIR": str(tmp_path)}).effective_database_url == (
        f"sqlite:///{tmp_path / 'baraza.db'}"
    )
    configured = load_settings({"DATABASE_URL": "postgresql://db/baraza"})
    assert configured.effective_database_url == "postgresql://db/baraza"


@pytest.mark.parametrize("name", ["BARAZA_WEB_PORT", "BARAZA_SMS_MAX_SEGMENTS", "BARAZA_RASA_WORKERS"])
def test_a_bad_integer_is_refused_naming_the_variable(name: str) -> None:
    with pytest.raises(ValueError, match=f"{name} must be an integer, got 'eighty'"):
        load_settings({name: "eighty"})
