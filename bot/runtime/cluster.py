"""Several replicas of every process behind HAProxy, on one machine: the multi-process layout that
docker-compose and Kubernetes run across machines (README, "Scaling out").

The balancer takes the ports a single stack would use (public: the web port; internal: Rasa's and
the action server's), so every URL in the settings stays true; replica ``i`` of a process listens on
that port + 100 × ``i``. All replicas share Redis (trackers, locks, queues) and the database.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, replace

from bot.runtime.balancer import Backends, check_config, haproxy_command, render_config
from bot.runtime.credentials import write_credentials
from bot.runtime.processes import (
    action_server_command,
    rasa_server_command,
    rasa_server_env,
    web_app_command,
    worker_command,
)
from bot.runtime.stack import Stack, _wait_http

#: Replica ``i`` listens on the balancer's port + REPLICA_PORT_STEP × i.
REPLICA_PORT_STEP = 100


def replica_port(port: int, replica: int) -> int:
    """The port replica ``replica`` (1, 2...) of a process whose balanced port is ``port`` listens on."""
    return port + REPLICA_PORT_STEP * replica


@dataclass
class Cluster(Stack):
    """A :class:`Stack` with ``replicas`` Rasa servers, action servers, web apps and workers, and HAProxy."""

    replicas: int = 2

    def environment(self) -> dict[str, str]:
        """Every child's environment: the balancer is the one proxy in front (client addresses come from
        its X-Forwarded-For, for the per-address rate limits), and the web chat's sockets are reached
        from every Rasa replica (a push handled by one reaches a socket held by another)."""
        return {
            **super().environment(),
            "BARAZA_PROXIES_COUNT": "1",
            "BARAZA_SOCKETIO_ACROSS_REPLICAS": "on",
        }

    def backends(self) -> Backends:
        numbers = range(1, self.replicas + 1)
        s = self.settings
        return Backends(
            public_port=s.web_port,
            rasa_api_port=s.rasa_port,
            actions_port=s.action_server_port,
            rasa=tuple(f"127.0.0.1:{replica_port(s.rasa_port, i)}" for i in numbers),
            actions=tuple(f"127.0.0.1:{replica_port(s.action_server_port, i)}" for i in numbers),
            web=tuple(f"127.0.0.1:{replica_port(s.web_port, i)}" for i in numbers),
        )

    def start(self, timeout: float = 240.0) -> None:
        """Start Redis (embedded unless configured), every replica, the workers and the balancer."""
        self.prepare()
        # Citizens reach socket.io through the balancer's public port, on the page's own origin.
        public = f"http://localhost:{self.settings.web_port}"
        self.settings = replace(self.settings, rasa_public_url=public, public_url=public)
        config = self.settings.data_dir / "haproxy.cfg"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(render_config(self.backends()), encoding="utf-8")
        checked = check_config(config)
        if checked.returncode != 0:
            raise RuntimeError(f"HAProxy refused {config}: {checked.stderr or checked.stdout}")
        credentials = write_credentials(self.settings)
        waits = []
        for i in range(1, self.replicas + 1):
            action_port = replica_port(self.settings.action_server_port, i)
            actions = self.spawn(f"actions-{i}", action_server_command(action_port))
            waits.append((f"http://127.0.0.1:{action_port}/health", actions, f"action server {i}"))
        for i in range(1, self.replicas + 1):
            replica = replace(self.settings, rasa_port=replica_port(self.settings.rasa_port, i))
            rasa = self.spawn(
                f"rasa-{i}", rasa_server_command(replica, self.model, credentials), rasa_server_env(replica)
            )
            waits.append((f"http://127.0.0.1:{replica.rasa_port}/", rasa, f"Rasa server {i}"))
            web_port = replica_port(self.settings.web_port, i)
            web = self.spawn(f"web-{i}", web_app_command(), {"BARAZA_WEB_PORT": str(web_port)})
            waits.append((f"http://127.0.0.1:{web_port}/health", web, f"web app {i}"))
            self.spawn(f"worker-{i}", worker_command(f"{socket.gethostname()}-worker-{i}"))
        balancer = self.spawn("balancer", haproxy_command(config))
        for url, process, name in waits:
            _wait_http(url, timeout, process, name)
        _wait_http(f"http://127.0.0.1:{self.settings.web_port}/health/ready", timeout, balancer, "balancer")
