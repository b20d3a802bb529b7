"""docker-compose.yml cannot run here (no Docker engine); check what can be checked without one."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.runtime import processes
from bot.settings import PROJECT_ROOT, Settings


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_has_every_production_service(compose: dict[str, Any]) -> None:
    assert {"redis", "postgres", "rasa", "actions", "web", "worker"} <= set(compose["services"])


@pytest.mark.parametrize(
    "service,process", [("rasa", "rasa"), ("actions", "actions"), ("web", "web"), ("worker", "worker")]
)
def test_compose_commands_name_real_processes(compose: dict[str, Any], service: str, process: str) -> None:
    command = compose["services"][service]["command"]
    assert command == ["python", "-m", "bot.runtime", "serve", process]
    assert importlib.util.find_spec("bot.runtime.__main__") is not None


def test_compose_ports_match_the_code(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert f"{processes.RASA_PORT}:{processes.RASA_PORT}" in services["rasa"]["ports"]
    assert str(processes.ACTION_SERVER_PORT) in services["actions"]["expose"]
    assert f"{Settings().web_port}:{Settings().web_port}" in services["web"]["ports"]
    env = services["web"]["environment"]
    assert env["ACTION_SERVER_URL"] == f"http://actions:{processes.ACTION_SERVER_PORT}/webhook"
    assert env["REDIS_URL"].startswith("redis://redis:6379")


def test_redis_persists_its_data(compose: dict[str, Any]) -> None:
    command = compose["services"]["redis"]["command"]
    assert "--appendonly" in command and command[command.index("--appendonly") + 1] == "yes"


def test_process_commands_use_installed_modules(tmp_path: Path) -> None:
    settings = Settings(rasa_auth_token="x")
    for command in (
        processes.action_server_command(),
        processes.rasa_server_command(settings, tmp_path / "model.tar.gz", tmp_path / "credentials.yml"),
        processes.web_app_command(),
        processes.worker_command("w1"),
    ):
        assert command[1] == "-m"
        assert importlib.util.find_spec(command[2]) is not None, command[2]


def test_serve_refuses_without_redis_or_token() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.runtime", "serve", "rasa"],
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "REDIS_URL" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "bot.runtime", "serve", "rasa"],
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin", "REDIS_URL": "redis://x:6379/0"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert "RASA_AUTH_TOKEN" in result.stderr


def test_dockerfile_uses_python_310_and_trains_the_model() -> None:
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.10" in dockerfile
    assert "python -m bot.runtime.training" in dockerfile


def test_channels_with_secrets_come_from_the_environment_only(tmp_path: Path) -> None:
    from bot.runtime.credentials import channel_credentials, write_credentials
    from bot.settings import load_settings

    bare = channel_credentials(load_settings({}))
    assert "bot.channels.telegram.TelegramInput" not in bare and "rest" in bare
    env = {"TELEGRAM_TOKEN": "123:abc", "TELEGRAM_SECRET_TOKEN": "s3cret", "BARAZA_DATA_DIR": str(tmp_path)}
    path = write_credentials(load_settings(env))
    written = yaml.safe_load(path.read_text())
    assert written["bot.channels.telegram.TelegramInput"]["secret_token"] == "s3cret"
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert "123:abc" not in (PROJECT_ROOT / "config" / "credentials.yml").read_text()
    with pytest.raises(ValueError, match="TELEGRAM_SECRET_TOKEN"):
        channel_credentials(load_settings({"TELEGRAM_TOKEN": "123:abc"}))
