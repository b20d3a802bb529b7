"""The multi-process layout's addresses (tests/e2e/test_replicas.py runs it for real)."""

from __future__ import annotations

from pathlib import Path

from bot.runtime.cluster import Cluster, replica_port
from bot.settings import load_settings


def test_replicas_listen_beside_the_ports_the_balancer_takes() -> None:
    settings = load_settings(
        {"BARAZA_RASA_PORT": "5005", "BARAZA_ACTION_SERVER_PORT": "5055", "BARAZA_WEB_PORT": "8080"}
    )
    cluster = Cluster(settings=settings, model=Path("model.tar.gz"), log_dir=Path("logs"), replicas=3)
    backends = cluster.backends()
    assert (backends.public_port, backends.rasa_api_port, backends.actions_port) == (8080, 5005, 5055)
    assert backends.rasa == ("127.0.0.1:5105", "127.0.0.1:5205", "127.0.0.1:5305")
    assert backends.actions == ("127.0.0.1:5155", "127.0.0.1:5255", "127.0.0.1:5355")
    assert backends.web == ("127.0.0.1:8180", "127.0.0.1:8280", "127.0.0.1:8380")
    every_port = {int(a.rsplit(":", 1)[1]) for a in (*backends.rasa, *backends.actions, *backends.web)}
    assert len(every_port) == 9 and not every_port & {8080, 5005, 5055}
    assert replica_port(6000, 2) == 6200
