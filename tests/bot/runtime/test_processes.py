"""The command lines of Baraza's processes, in one place."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bot.runtime import processes
from bot.settings import Settings


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


def test_the_rasa_server_opens_the_written_channels_with_no_secret_on_its_command_line(
    tmp_path: Path,
) -> None:
    settings = Settings(rasa_auth_token="s3cret", rasa_workers=0, public_url="https://baraza.example.go.ke/")
    command = processes.rasa_server_command(settings, tmp_path / "m.tar.gz", tmp_path / "credentials.yml")
    assert command[2:4] == ["rasa_addons.serve", "run"]
    assert "s3cret" not in command and "--auth-token" not in command  # read from RASA_AUTH_TOKEN instead
    assert command[command.index("--cors") + 1 :][:2] == ["https://baraza.example.go.ke"]  # its origin only
    widget = Settings(public_url="https://baraza.example.go.ke", widget_origins=("https://health.go.ke",))
    command = processes.rasa_server_command(widget, tmp_path / "m.tar.gz", tmp_path / "credentials.yml")
    assert command[command.index("--cors") + 1 :] == ["https://baraza.example.go.ke", "https://health.go.ke"]
    assert command[command.index("--credentials") + 1] == str(tmp_path / "credentials.yml")
    assert command[command.index("--port") + 1] == str(processes.RASA_PORT)
    assert processes.rasa_server_env(settings) == {"SANIC_WORKERS": "1"}  # never fewer than one
    assert processes.rasa_server_env(Settings(rasa_workers=3)) == {"SANIC_WORKERS": "3"}


def test_a_worker_is_named_only_when_asked() -> None:
    assert processes.worker_command()[2:] == ["bot.fanout"]
    assert processes.worker_command("host-1")[2:] == ["bot.fanout", "--name", "host-1"]
    assert processes.action_server_command()[-2:] == ["--port", str(processes.ACTION_SERVER_PORT)]
