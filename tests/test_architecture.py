"""House rules that keep each flow a straight line through the folders (see ../shared/STYLE.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from bot.settings import PROJECT_ROOT

BOT = PROJECT_ROOT / "bot"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_has_no_rasa_imports_outside_channels() -> None:
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for path in BOT.rglob("*.py")
        if "channels" not in path.parts
        and any(name == "rasa" or name.startswith(("rasa.", "rasa_sdk")) for name in _imports(path))
    ]
    assert offenders == []


def test_environment_is_read_only_in_settings() -> None:
    allowed = {BOT / "settings.py", BOT / "runtime" / "stack.py", BOT / "runtime" / "__main__.py"}
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for path in [*BOT.rglob("*.py"), *(PROJECT_ROOT / "actions").rglob("*.py")]
        if path not in allowed and ("os.environ" in path.read_text() or "getenv" in path.read_text())
    ]
    assert offenders == []


def test_redis_keys_are_built_in_one_place() -> None:
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for path in BOT.rglob("*.py")
        if path.name != "redis_keys.py" and '"baraza:' in path.read_text()
    ]
    assert offenders == []


def test_action_modules_import_without_any_service() -> None:
    """The action server imports every module at start: none may connect or read files then."""
    code = (
        "import pkgutil, importlib, actions\n"
        "for m in pkgutil.iter_modules(actions.__path__):\n"
        "    importlib.import_module('actions.' + m.name)\n"
        "import bot.web.app, bot.channels.socketio\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin", "REDIS_URL": "redis://192.0.2.1:1/0"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_every_rule_action_is_a_registered_action() -> None:
    import yaml

    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    rules = yaml.safe_load((PROJECT_ROOT / "data" / "rules.yml").read_text())["rules"]
    used = {step["action"] for rule in rules for step in rule["steps"] if "action" in step}
    assert used <= set(domain["actions"]) | set(domain.get("forms") or {})
    intents_with_rules = {step["intent"] for rule in rules for step in rule["steps"] if "intent" in step}
    assert set(domain["intents"]) <= intents_with_rules


def test_numbered_choices_route_like_the_rules() -> None:
    """actions/routing.py repeats data/rules.yml's intent -> action mapping; they must agree."""
    import yaml

    from actions.routing import action_for_intent

    rules = yaml.safe_load((PROJECT_ROOT / "data" / "rules.yml").read_text())["rules"]
    for rule in rules:
        if "intent" not in rule["steps"][0] or rule.get("condition"):
            continue  # a form's own rules
        intent, action = rule["steps"][0]["intent"], rule["steps"][1]["action"]
        if intent in ("nlu_fallback", "choose_option") or intent.startswith("EXTERNAL_"):
            continue
        if intent == "report_concern":  # starts a form: ActionChooseOption hands over to it (test_concerns)
            continue
        assert action_for_intent(intent).name() == action, intent


def test_every_api_blueprint_requires_a_key_except_the_public_feeds() -> None:
    """Statically: each blueprint factory in bot/api/ installs the key check (feeds are public on purpose,
    and Open311 reads are public by its specification; filing there checks the key itself).

    tests/bot/api/test_authorization.py and test_open311.py check the same thing live, route by route.
    """
    public = {"create_feeds_blueprint", "create_open311_blueprint"}
    unguarded = []
    for path in (BOT / "api").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.FunctionDef)
                and node.name.endswith("_blueprint")
                and node.name not in public
            ):
                calls = {
                    c.func.id
                    for c in ast.walk(node)
                    if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
                }
                if "require_key" not in calls:
                    unguarded.append(f"{path.name}:{node.name}")
    assert unguarded == []
