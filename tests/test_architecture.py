"""House rules that keep each flow a straight line through the folders (see ../shared/STYLE.md)."""

from __future__ import annotations

import ast
import contextlib
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


# Import directions ------------------------------------------------------------------------------

#: The features of the domain; a lower room (catalogue, delivery) imports none of them.
FEATURES = ("bot.alerts", "bot.concerns", "bot.subscriptions", "bot.assistant", "bot.open311", "bot.auth")
#: The rooms that receive requests; nothing in the domain imports them.
DOORS = ("bot.api", "bot.web", "bot.channels", "bot.services", "bot.housekeeping", "bot.runtime")


def _module(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _offenders(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    """``module -> import`` for every import of ``paths`` that is, or is inside, one of ``forbidden``."""
    return sorted(
        f"{_module(path)} -> {name}"
        for path in paths
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    )


def test_the_catalogue_imports_no_feature() -> None:
    """Catalogues are data every feature reads: they depend on languages and files only."""
    paths = list((BOT / "catalogue").rglob("*.py"))
    assert _offenders(paths, (*FEATURES, *DOORS, "bot.fanout", "bot.language")) == []


def test_delivery_knows_no_feature() -> None:
    """The fan-out moves typed notices and asks its hooks; only its process entry composes the worker."""
    paths = [p for p in (BOT / "fanout").rglob("*.py") if p.name != "__main__.py"]
    assert _offenders(paths, ("bot.alerts", "bot.concerns", "bot.assistant", "bot.open311", *DOORS)) == []


def test_alerts_never_reach_into_the_delivery_worker() -> None:
    paths = list((BOT / "alerts").rglob("*.py"))
    assert _offenders(paths, ("bot.fanout.worker", "bot.fanout.channels", "bot.api", "bot.web")) == []


def test_the_api_calls_services_never_stores() -> None:
    """Views parse, validate, call a service and serialise; stores belong to the services."""
    paths = list((BOT / "api").rglob("*.py"))
    stores = ("bot.concerns.store", "bot.concerns.tables", "bot.alerts.repository", "bot.alerts.store")
    stores += ("bot.subscriptions.store", "bot.auth.keys", "bot.fanout.queue", "bot.redis_client")
    assert _offenders(paths, stores) == []
    reaching = [
        f"{path.name}:{node.lineno}"
        for path in paths
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr in ("store", "repository", "redis", "fan_out")
    ]
    assert reaching == []


def test_the_domain_never_imports_a_door() -> None:
    """Requests come in through the doors (API, web, channels, the composition root and the process
    entries) and flow down; no domain module imports them back."""
    entries = {"__main__.py", "load_samples.py", "send.py"}  # command-line entries compose like doors
    paths = [
        p
        for p in BOT.rglob("*.py")
        if not any(_module(p).startswith(d) for d in DOORS) and p.name not in entries
    ]
    assert _offenders(paths, DOORS) == []


def test_languages_and_locales_import_nothing_above_them() -> None:
    paths = [*(BOT / "i18n").rglob("*.py"), *(BOT / "language").rglob("*.py"), BOT / "phrases.py"]
    assert _offenders(paths, (*FEATURES, *DOORS, "bot.catalogue", "bot.fanout")) == []


def test_actions_reach_the_domain_through_the_composition_root() -> None:
    """Actions build no store or connection of their own."""
    paths = list((PROJECT_ROOT / "actions").glob("*.py"))
    builders = ("bot.redis_client", "bot.concerns.database", "bot.settings")
    assert _offenders(paths, builders) == []
    constructed = [
        f"{path.name}:{node.lineno}"
        for path in paths
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.endswith(("Store", "Repository", "Service", "Queue"))
        and not node.func.id.startswith("Action")
    ]
    assert constructed == []


# Tests mirror the source ------------------------------------------------------------------------

#: Modules tested only through the running stack or as a process of their own, and the test that does
#: it: ``python -m`` entries (a test runs the command), the channel adapters (driven through Rasa by
#: the end-to-end tests) and the servers the stack starts. Every other module has its mirrored test.
TESTED_ELSEWHERE: dict[str, str] = {
    "actions/serve.py": "tests/e2e/test_rest_conversations.py",
    "bot/auth/__main__.py": "tests/bot/auth/test_keys.py",
    "bot/channels/messenger.py": "tests/e2e/test_messenger.py",
    "bot/channels/rest.py": "tests/e2e/test_rest_conversations.py",
    "bot/channels/telegram.py": "tests/e2e/test_telegram.py",
    "bot/channels/twilio.py": "tests/e2e/test_twilio.py",
    "bot/channels/ussd.py": "tests/e2e/test_ussd_sms.py",
    "bot/fanout/__main__.py": "tests/bot/fanout/test_faults.py",
    "bot/runtime/__main__.py": "tests/test_deployment.py",
    "bot/web/__main__.py": "tests/bot/api/conftest.py",
    "rasa_addons/serve.py": "tests/e2e/test_http.py",
}


def _modules_with_behaviour() -> list[str]:
    """Every module of bot/, actions/ and rasa_addons/ that defines a function or a class."""
    found = []
    for root in ("bot", "actions", "rasa_addons"):
        for path in sorted((PROJECT_ROOT / root).rglob("*.py")):
            if path.name == "__init__.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
            if any(isinstance(node, kinds) for node in tree.body):
                found.append(path.relative_to(PROJECT_ROOT).as_posix())
    return found


def _mirror(module: str) -> str:
    folder, _, name = module.rpartition("/")
    return f"tests/{folder}/test_{name}"


def _dotted(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


def _imports_module(test: Path, module: str) -> bool:
    """``import a.b.c``, ``from a.b.c import x`` or ``from a.b import c`` (or a module inside it)."""
    dotted = _dotted(module)
    names: set[str] = set()
    for node in ast.walk(ast.parse(test.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return any(name == dotted or name.startswith(dotted + ".") for name in names)


def _runs_module(test: Path, module: str) -> bool:
    """The test imports the module, runs its ``python -m`` command, or drives the running stack (the
    ``stack`` fixture of tests/e2e/) that starts it: a process of bot/runtime/processes.py, or a
    channel of the credentials the Rasa server reads, whose channel the test names."""
    import re

    if _imports_module(test, module):
        return True
    text = test.read_text(encoding="utf-8")
    if module.endswith("/__main__.py"):
        package = _dotted(module).removesuffix(".__main__")
        return '"-m"' in text and f'"{package}"' in text
    started = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (BOT / "runtime" / "processes.py", BOT / "runtime" / "credentials.py")
    ) + (PROJECT_ROOT / "config" / "credentials.yml").read_text(encoding="utf-8")
    in_the_stack = re.search(rf"(?<![\w.]){re.escape(_dotted(module))}(?=[.'\"])", started) is not None
    drives_the_stack = "stack: Stack" in text
    if module.startswith("bot/channels/"):
        drives_the_stack = drives_the_stack and Path(module).stem in text.lower()
    return in_the_stack and drives_the_stack


def test_tests_mirror_the_source() -> None:
    """Each module with behaviour has ``tests/<folder>/test_<name>.py`` importing it, or is listed in
    :data:`TESTED_ELSEWHERE` with a test that imports or runs it (and only then)."""
    modules = _modules_with_behaviour()
    unmirrored = []
    not_imported = []
    for module in modules:
        mirror = PROJECT_ROOT / _mirror(module)
        if not mirror.exists():
            if module not in TESTED_ELSEWHERE:
                unmirrored.append(f"{module}: write {_mirror(module)} (or list it in TESTED_ELSEWHERE)")
        elif not _imports_module(mirror, module):
            not_imported.append(f"{_mirror(module)} does not import {_dotted(module)}")
    assert unmirrored == []
    assert not_imported == []
    stale = [m for m in TESTED_ELSEWHERE if m not in modules or (PROJECT_ROOT / _mirror(m)).exists()]
    assert stale == [], "listed but gone, or mirrored now: remove from TESTED_ELSEWHERE"
    unproven = [
        f"{module} -> {test}"
        for module, test in TESTED_ELSEWHERE.items()
        if not (PROJECT_ROOT / test).is_file() or not _runs_module(PROJECT_ROOT / test, module)
    ]
    assert unproven == []


# Every door locked by default ---------------------------------------------------------------------

#: Each channel adapter whose provider offers a secret, the settings that open it (all needed) and
#: which of them are its secrets. Without any one of them the channel is not opened at all.
SECRET_CHANNELS: dict[str, dict[str, str]] = {
    "bot.channels.telegram.TelegramInput": {"TELEGRAM_TOKEN": "123:abc", "TELEGRAM_SECRET_TOKEN": "s"},
    "bot.channels.ussd.UssdInput": {"AFRICASTALKING_CALLBACK_TOKEN": "cb"},
    "bot.channels.africastalking.AfricasTalkingInput": {
        "AFRICASTALKING_USERNAME": "u",
        "AFRICASTALKING_API_KEY": "k",
        "AFRICASTALKING_CALLBACK_TOKEN": "cb",
    },
    "bot.channels.twilio.TwilioSmsInput": {
        "TWILIO_ACCOUNT_SID": "AC1",
        "TWILIO_AUTH_TOKEN": "t",
        "TWILIO_SMS_NUMBER": "+1555",
    },
    "bot.channels.twilio.WhatsAppInput": {
        "TWILIO_ACCOUNT_SID": "AC1",
        "TWILIO_AUTH_TOKEN": "t",
        "TWILIO_WHATSAPP_NUMBER": "whatsapp:+1555",
    },
    "bot.channels.messenger.MessengerInput": {
        "FACEBOOK_VERIFY": "v",
        "FACEBOOK_SECRET": "s",
        "FACEBOOK_PAGE_ACCESS_TOKEN": "p",
    },
}
#: Channels with no provider secret, and why they are still closed to strangers.
NO_PROVIDER_SECRET = {
    "bot.channels.socketio.WebChatInput": "the session secret the server issues (a digest is the id)",
    "bot.channels.rest.ScopedRestInput": "off unless BARAZA_REST_CHANNEL=on; senders are rest:<sender>",
}


def _input_channels() -> set[str]:
    """Every InputChannel subclass defined in bot/channels/ (by the name of what it extends)."""
    found = set()
    for path in (BOT / "channels").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
                if bases & {"InputChannel", "SocketIOInput", "RestInput", "FacebookInput", "_TwilioInput"}:
                    found.add(f"{_module(path)}.{node.name}")
    return found


def test_every_channel_requires_its_secret() -> None:
    """No channel opens without every secret its provider offers, and each refuses to be built
    without it; a new channel must be listed here with its secrets (or say why it needs none)."""
    from rasa.shared.utils.common import class_from_module_path

    from bot.runtime.credentials import channel_credentials
    from bot.settings import load_settings

    assert _input_channels() == set(SECRET_CHANNELS) | set(NO_PROVIDER_SECRET)
    assert set(channel_credentials(load_settings({}))) == {"bot.channels.socketio.WebChatInput"}
    for channel, settings in SECRET_CHANNELS.items():
        opened = channel_credentials(load_settings(settings))
        assert channel in opened, channel
        for missing in settings:
            without = {name: value for name, value in settings.items() if name != missing}
            # refusing to start at all (Telegram's token without its secret) is closed too
            with contextlib.suppress(ValueError):
                opened_without = channel_credentials(load_settings(without))
                assert channel not in opened_without, f"{channel} without {missing}"
        credentials = opened[channel]
        for field, value in credentials.items():
            if value and any(word in field for word in ("token", "secret", "key", "verify")):
                bare = {**credentials, field: ""}
                try:
                    class_from_module_path(channel).from_credentials(bare)
                except ValueError:
                    continue
                raise AssertionError(f"{channel} was built without its {field}")


#: Names that hold what a citizen typed or who they are: never an argument of a log call.
_PRIVATE_NAMES = {
    "text",
    "message",
    "phone",
    "sender",
    "sender_id",
    "recipient_id",
    "session_id",
    "conversation",
    "conversation_id",
    "address",
    "body",
    "payload",
    "email",
    "api_key",
    "token",
    "secret",
    "entries",
    "latest",
    "description",
}


def test_no_log_call_is_given_message_text_or_an_identity() -> None:
    """Logs hold no message text, phone number, e-mail, key or session id (``hashed()`` ids are fine)."""
    offenders = []
    for root in ("bot", "actions", "rasa_addons"):
        for path in (PROJECT_ROOT / root).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("debug", "info", "warning", "error", "exception", "critical")
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in ("logger", "log", "logging")
                ):
                    continue
                for argument in node.args[1:]:
                    named = argument.id if isinstance(argument, ast.Name) else getattr(argument, "attr", "")
                    if named in _PRIVATE_NAMES or named.endswith("_text"):
                        offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} logs {named}")
    assert offenders == []
