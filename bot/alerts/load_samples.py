"""Load the sample alerts of ``data/samples/alerts.yml`` as alerts of their ministries.

Usage: ``python -m bot.alerts.load_samples [FILE]`` (REDIS_URL must point at Baraza's Redis; the
launcher prints it, and loads them itself into its embedded Redis).

Each sample is filed and approved through the alert service, as any ministry's alert is (by the
"samples" author and, where the ministry requires a second person, the "samples-approver"): it gets a
record and its CAP identity, and goes live with its fan-out. So the chat, the public feeds and the
console list the same alerts; written straight into the citizens' store, as they once were, the chat
listed alerts the feeds did not know.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.alerts.lifecycle import Status
from bot.alerts.model import Alert, AlertText, utc_now
from bot.alerts.record import AlertRecord, DuplicateAlert
from bot.alerts.service import AlertService
from bot.auth.roles import Actor, Role
from bot.services import shared
from bot.yaml_files import read_yaml_mapping

#: Who files and approves the samples, as their history shows.
SAMPLES_AUTHOR, SAMPLES_APPROVER = "samples", "samples-approver"


def sample_alerts(path: Path) -> list[Alert]:
    """Alerts from a samples file, made active from now on (``sender``: the ministry's id)."""
    now = utc_now()
    alerts = []
    for entry in read_yaml_mapping(path).get("alerts") or []:
        data: dict[str, Any] = dict(entry)
        hours = float(data.pop("expires_in_hours"))
        texts = {lang: AlertText(**text) for lang, text in data.pop("texts").items()}
        alerts.append(
            Alert(
                effective=now,
                expires=now + timedelta(hours=hours),
                texts=texts,
                regions=tuple(data.pop("regions")),
                sender=str(data.pop("ministry")),
                **data,
            )
        )
    return alerts


def publish_samples(service: AlertService, alerts: list[Alert]) -> list[AlertRecord]:
    """File and approve each sample as its ministry's alert; those already loaded are left as they are."""
    published = []
    for alert in alerts:
        author = Actor(SAMPLES_AUTHOR, alert.sender, Role.AUTHOR, "sample alerts")
        try:
            record = service.create(author, alert)
        except DuplicateAlert:
            continue
        if record.status is Status.PENDING_APPROVAL:
            approver = Actor(SAMPLES_APPROVER, alert.sender, Role.APPROVER, "sample alerts")
            record = service.approve(approver, record.alert_id)
        published.append(record)
    return published


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    services = shared()
    path = Path(argv[0]) if argv else services.settings.project_root / "data" / "samples" / "alerts.yml"
    alerts = sample_alerts(path)
    published = publish_samples(services.alerts, alerts)
    print(f"loaded {len(published)} sample alerts from {path}", end="")
    print(f" ({len(alerts) - len(published)} already loaded)" if len(published) < len(alerts) else "")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
