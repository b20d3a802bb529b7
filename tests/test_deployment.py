"""docker-compose.yml cannot run here (no Docker engine); check what can be checked without one."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from typing import Any

import pytest
import yaml

from bot.runtime import processes
from bot.runtime.balancer import check_config, compose_backends, render_config
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
    assert str(processes.RASA_PORT) in services["rasa"]["expose"]
    assert str(processes.ACTION_SERVER_PORT) in services["actions"]["expose"]
    assert str(Settings().web_port) in services["web"]["expose"]
    env = services["web"]["environment"]
    assert env["ACTION_SERVER_URL"] == f"http://balancer:{processes.ACTION_SERVER_PORT}/webhook"
    assert env["RASA_URL"] == f"http://balancer:{processes.RASA_PORT}"
    assert env["REDIS_URL"].startswith("redis://redis:6379")


def test_only_the_balancer_is_published_and_it_runs_the_committed_config(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert [name for name, service in services.items() if service.get("ports")] == ["balancer"]
    assert (
        "./deploy/haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro"
        in services["balancer"]["volumes"]
    )
    for name in ("rasa", "actions", "web", "worker"):
        assert services[name]["deploy"]["replicas"] >= 2, name


def test_the_committed_balancer_config_is_the_generated_one_and_haproxy_accepts_it() -> None:
    committed = PROJECT_ROOT / "deploy" / "haproxy" / "haproxy.cfg"
    assert committed.read_text(encoding="utf-8") == render_config(compose_backends()), (
        "regenerate: python -m bot.runtime.balancer > deploy/haproxy/haproxy.cfg"
    )
    try:
        checked = check_config(committed)
    except RuntimeError:
        if os.environ.get("CI"):
            raise
        pytest.skip("haproxy not installed")
    assert checked.returncode == 0, checked.stderr


def test_redis_persists_its_data(compose: dict[str, Any]) -> None:
    command = compose["services"]["redis"]["command"]
    assert "--appendonly" in command and command[command.index("--appendonly") + 1] == "yes"
    # a full Redis refuses writes rather than deleting conversations or queues (README, Redis)
    assert command[command.index("--maxmemory-policy") + 1] == "noeviction"


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


def test_compose_opens_no_door_without_its_secret(compose: dict[str, Any]) -> None:
    env = compose["x-baraza"]["environment"]
    assert env["ACTION_SERVER_TOKEN"].endswith(":?set ACTION_SERVER_TOKEN}")  # required, no default
    assert env["BARAZA_REST_CHANNEL"] == "off"
    # empty by default, and empty means USSD and Africa's Talking SMS stay off (bot/runtime/credentials.py)
    assert env["AFRICASTALKING_CALLBACK_TOKEN"] == "${AFRICASTALKING_CALLBACK_TOKEN:-}"
    actions = compose["services"]["actions"]
    assert actions["environment"]["BARAZA_ACTION_SERVER_HOST"] == "0.0.0.0"  # noqa: S104 - its container
    assert "ports" not in actions  # reachable from Rasa's container only


def test_serve_refuses_rasa_and_actions_without_the_action_server_token() -> None:
    for process in ("rasa", "actions"):
        result = subprocess.run(
            [sys.executable, "-m", "bot.runtime", "serve", process],
            cwd=PROJECT_ROOT,
            env={"PATH": "/usr/bin:/bin", "REDIS_URL": "redis://x:6379/0", "RASA_AUTH_TOKEN": "t"},
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert result.returncode == 2 and "ACTION_SERVER_TOKEN" in result.stderr, result.stderr[-500:]
