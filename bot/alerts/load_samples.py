"""Load the sample alerts of ``data/samples/alerts.yml`` into Redis.

Usage: ``python -m bot.alerts.load_samples [FILE]`` (REDIS_URL must point at Baraza's Redis; the
launcher prints it). Authoring alerts through the ministry API comes with the alerts feature.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.alerts.model import Alert, AlertText, utc_now
from bot.services import shared
from bot.yaml_files import read_yaml_mapping


def sample_alerts(path: Path) -> list[Alert]:
    """Alerts from a samples file, made active from now on."""
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
                **data,
            )
        )
    return alerts


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    services = shared()
    path = Path(argv[0]) if argv else services.settings.project_root / "data" / "samples" / "alerts.yml"
    store = services.active_alerts
    alerts = sample_alerts(path)
    for alert in alerts:
        store.save(alert)
    print(f"loaded {len(alerts)} sample alerts from {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
