"""deploy/k8s cannot run here (no cluster): validate it against the Kubernetes schemas and check what
a cluster operator relies on (every process, probes, requests, autoscaling, disruption budgets, secrets
only from Secret objects) and that it agrees with the code and docker-compose.yml."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from bot.runtime import processes
from bot.settings import PROJECT_ROOT, Settings

K8S = PROJECT_ROOT / "deploy" / "k8s"
VALIDATOR = PROJECT_ROOT / ".venv-tools" / "bin" / "kubernetes-validate"
#: The oldest Kubernetes release the manifests must still be valid for, and the newest known.
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")
#: Processes of the stack (bot/runtime/processes.py) and their Deployments.
PROCESS_DEPLOYMENTS = {
    "rasa": "baraza-rasa",
    "actions": "baraza-actions",
    "web": "baraza-web",
    "worker": "baraza-worker",
}
SECRET_WORDS = re.compile(r"TOKEN|SECRET|PASSWORD|API_KEY|DATABASE_URL|REDIS_URL")


def _applied_files() -> list[Path]:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    return [K8S / name for name in kustomization["resources"]]


def _documents(paths: list[Path]) -> Iterator[dict[str, Any]]:
    for path in paths:
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if document:
                yield document


@pytest.fixture(scope="module")
def resources() -> dict[tuple[str, str], dict[str, Any]]:
    return {(d["kind"], d["metadata"]["name"]): d for d in _documents(_applied_files())}


def _workloads(resources: dict[tuple[str, str], dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {name: r for (kind, name), r in resources.items() if kind in ("Deployment", "StatefulSet")}


def test_kustomization_applies_every_manifest_but_the_secret_example() -> None:
    listed = {p.name for p in _applied_files()}
    present = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert present - listed == {"secret.example.yaml"}
    assert listed <= present


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_manifests_are_valid_kubernetes(version: str) -> None:
    if not VALIDATOR.exists():
        if os.environ.get("CI"):
            pytest.fail("kubernetes-validate missing: ./baraza test installs it in .venv-tools")
        pytest.skip("kubernetes-validate not installed (./baraza test installs it in .venv-tools)")
    files = [str(p) for p in [*_applied_files(), K8S / "secret.example.yaml"]]
    result = subprocess.run(
        [str(VALIDATOR), "--strict", "--quiet", "-k", version, *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_rejects_a_broken_manifest(tmp_path: Path) -> None:
    """The schema check above can fail: a misspelt field in a copy of the Rasa Deployment is refused."""
    if not VALIDATOR.exists():
        pytest.skip("kubernetes-validate not installed")
    broken = (K8S / "rasa.yaml").read_text(encoding="utf-8").replace("readinessProbe:", "readynessProbe:", 1)
    (tmp_path / "rasa.yaml").write_text(broken, encoding="utf-8")
    result = subprocess.run(
        [str(VALIDATOR), "--strict", "--quiet", str(tmp_path / "rasa.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "readynessProbe" in result.stdout + result.stderr


def test_every_process_is_deployed_with_the_command_docker_compose_uses(
    resources: dict[tuple[str, str], dict[str, Any]],
) -> None:
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    for process, name in PROCESS_DEPLOYMENTS.items():
        container = resources[("Deployment", name)]["spec"]["template"]["spec"]["containers"][0]
        assert container["command"] == ["python", "-m", "bot.runtime", "serve", process]
        assert container["command"] == compose[process]["command"]


def test_ports_match_the_code(resources: dict[tuple[str, str], dict[str, Any]]) -> None:
    expected = {
        "baraza-rasa": processes.RASA_PORT,
        "baraza-actions": processes.ACTION_SERVER_PORT,
        "baraza-web": Settings().web_port,
    }
    for name, port in expected.items():
        container = resources[("Deployment", name)]["spec"]["template"]["spec"]["containers"][0]
        assert [p["containerPort"] for p in container["ports"]] == [port]
        assert [p["port"] for p in resources[("Service", name)]["spec"]["ports"]] == [port]
    config = resources[("ConfigMap", "baraza-config")]["data"]
    assert config["ACTION_SERVER_URL"] == f"http://baraza-actions:{processes.ACTION_SERVER_PORT}/webhook"
    assert config["RASA_URL"] == f"http://baraza-rasa:{processes.RASA_PORT}"


def test_every_container_has_probes_requests_and_no_root(
    resources: dict[tuple[str, str], dict[str, Any]],
) -> None:
    for name, workload in _workloads(resources).items():
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod.get("automountServiceAccountToken") is False, name
        for container in pod["containers"]:
            assert "readinessProbe" in container and "livenessProbe" in container, name
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
            assert "memory" in container["resources"]["limits"], name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
            assert container["securityContext"]["capabilities"]["drop"] == ["ALL"], name


def test_the_web_app_is_ready_only_when_its_dependencies_are(
    resources: dict[tuple[str, str], dict[str, Any]],
) -> None:
    container = resources[("Deployment", "baraza-web")]["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"


def test_the_worker_probe_is_the_heartbeat_it_writes(
    resources: dict[tuple[str, str], dict[str, Any]],
) -> None:
    container = resources[("Deployment", "baraza-worker")]["spec"]["template"]["spec"]["containers"][0]
    heartbeat = {e["name"]: e["value"] for e in container["env"]}["BARAZA_WORKER_HEARTBEAT"]
    probe = container["livenessProbe"]["exec"]["command"]
    assert probe[:3] == ["python", "-m", "bot.fanout.heartbeat"] and probe[3] == heartbeat


def test_rasa_and_the_workers_scale_and_survive_disruptions(
    resources: dict[tuple[str, str], dict[str, Any]],
) -> None:
    scaled = {
        r["spec"]["scaleTargetRef"]["name"]
        for (kind, _), r in resources.items()
        if kind == "HorizontalPodAutoscaler"
    }
    assert {"baraza-rasa", "baraza-worker"} <= scaled
    for (kind, _), budget in resources.items():
        if kind != "PodDisruptionBudget":
            continue
        target = budget["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]
        workload = resources[("Deployment", target)]
        assert workload["spec"]["replicas"] > budget["spec"]["minAvailable"], target
    budgeted = {
        b["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]
        for (k, _), b in resources.items()
        if k == "PodDisruptionBudget"
    }
    assert set(PROCESS_DEPLOYMENTS.values()) <= budgeted


def test_secrets_come_only_from_secret_objects(resources: dict[tuple[str, str], dict[str, Any]]) -> None:
    assert not [k for k in resources[("ConfigMap", "baraza-config")]["data"] if SECRET_WORDS.search(k)]
    for name, workload in _workloads(resources).items():
        for container in workload["spec"]["template"]["spec"]["containers"]:
            for variable in container.get("env", []):
                if SECRET_WORDS.search(variable["name"]):
                    assert "secretKeyRef" in variable.get("valueFrom", {}), (name, variable["name"])
    example = next(_documents([K8S / "secret.example.yaml"]))
    assert example["kind"] == "Secret"
    assert all(value == "" or "PASSWORD@" in value for value in example["stringData"].values())
    assert ("Secret", "baraza-secrets") not in resources, "a real secret must never be committed"


def test_config_map_keys_are_settings_the_code_reads(
    resources: dict[tuple[str, str], dict[str, Any]],
) -> None:
    settings_source = (PROJECT_ROOT / "bot" / "settings.py").read_text(encoding="utf-8")
    example = next(_documents([K8S / "secret.example.yaml"]))
    keys = [*resources[("ConfigMap", "baraza-config")]["data"], *example["stringData"]]
    unread = [
        k
        for k in keys
        if f'"{k}"' not in settings_source and k not in ("REDIS_PASSWORD", "POSTGRES_PASSWORD")
    ]
    assert unread == []


def _ingress_paths(ingress: dict[str, Any]) -> set[str]:
    return {p["path"] for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]}


def test_rasa_http_api_is_not_public(resources: dict[tuple[str, str], dict[str, Any]]) -> None:
    assert _ingress_paths(resources[("Ingress", "baraza")]) == {"/", "/socket.io", "/webhooks"}


def test_callbacks_carrying_their_token_in_the_url_are_not_access_logged(
    resources: dict[tuple[str, str], dict[str, Any]],
) -> None:
    """Africa's Talking signs nothing: its token is in the callback URL, which ingress-nginx's access
    log would record with the query string."""
    callbacks = resources[("Ingress", "baraza-callbacks")]
    assert callbacks["metadata"]["annotations"]["nginx.ingress.kubernetes.io/enable-access-log"] == "false"
    assert _ingress_paths(callbacks) == {"/webhooks/africastalking", "/webhooks/ussd"}
    assert {r["host"] for r in callbacks["spec"]["rules"]} == {
        r["host"] for r in resources[("Ingress", "baraza")]["spec"]["rules"]
    }
