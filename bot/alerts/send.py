"""Send a CAP 1.2 file to Baraza's ministry API and follow its delivery.

Usage::

    BARAZA_API_KEY=bz_... python -m bot.alerts.send alert.cap [--url http://127.0.0.1:8080] [--no-wait]

Prints the alert's id and status, waits for approval if the ministry needs a second person, then
shows a progress bar until every subscriber was reached (sent, failed or skipped). Exit status 0 when
delivered, 1 when the API refused the file (its message names the problem), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, TextIO

from bot.alerts.cap import MEDIA_TYPE
from bot.settings import load_settings

BAR_WIDTH = 30


class ApiRefused(Exception):
    """The API answered with an error."""


def call(url: str, key: str, method: str = "GET", body: bytes | None = None) -> Any:
    """One API call; :class:`ApiRefused` carries the API's own message."""
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = MEDIA_TYPE
    if not url.startswith(("http://", "https://")):
        raise ApiRefused(f"not an http(s) URL: {url}")
    request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310 - checked above
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310 - checked above
            return json.loads(reply.read())
    except urllib.error.HTTPError as error:
        try:
            message = json.loads(error.read()).get("error", "")
        except ValueError:
            message = ""
        raise ApiRefused(f"{error.code}: {message or error.reason}") from error


def bar(deliveries: dict[str, Any]) -> str:
    """``[#######.......]  47%  sent 470  failed 0  remaining 530  of 1000``."""
    total = int(deliveries["total"])
    done = int(deliveries["sent"]) + int(deliveries["failed"]) + int(deliveries["skipped"])
    share = 1.0 if deliveries["complete"] else (done / total if total else 0.0)
    filled = int(share * BAR_WIDTH)
    return (
        f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {share:4.0%}  sent {deliveries['sent']}  "
        f"failed {deliveries['failed']}  remaining {deliveries['remaining']}  of {total}"
    )


def follow(
    base: str, key: str, alert_id: str, out: TextIO, interval: float = 0.5, timeout: float = 3600
) -> dict[str, Any]:
    """Poll the progress until delivery is complete; print a bar (redrawn in place on a terminal)."""
    deadline = time.monotonic() + timeout
    last = ""
    announced_wait = False
    while time.monotonic() < deadline:
        progress = call(f"{base}/api/v1/alerts/{alert_id}/progress", key)
        if progress["status"] in ("draft", "pending_approval"):
            if not announced_wait:
                print(f"waiting for approval ({progress['status']})...", file=out, flush=True)
                announced_wait = True
        elif progress["status"] == "cancelled" and not progress["deliveries"]["complete"]:
            print("\nthe alert was cancelled", file=out)
            return dict(progress)
        else:
            line = bar(progress["deliveries"])
            if line != last:
                print(
                    ("\r" + line) if out.isatty() else line,
                    end="" if out.isatty() else "\n",
                    file=out,
                    flush=True,
                )
                last = line
            if progress["deliveries"]["complete"]:
                if out.isatty():
                    print(file=out)
                return dict(progress)
        time.sleep(interval)
    raise TimeoutError("delivery did not complete in time")


def main(argv: list[str], out: TextIO = sys.stdout) -> int:
    """Command-line entry point."""
    settings = load_settings()
    parser = argparse.ArgumentParser(prog="python -m bot.alerts.send", description="Send a CAP 1.2 alert.")
    parser.add_argument("file", type=Path, help="a CAP 1.2 XML document")
    parser.add_argument("--url", default=settings.api_url or f"http://127.0.0.1:{settings.web_port}")
    parser.add_argument("--no-wait", action="store_true", help="send and exit without following delivery")
    args = parser.parse_args(argv)
    if not settings.api_key:
        print("set BARAZA_API_KEY to a ministry key (python -m bot.auth create ...)", file=sys.stderr)
        return 2
    try:
        document = args.file.read_bytes()
    except OSError as error:
        print(f"cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    base = args.url.rstrip("/")
    try:
        record = call(f"{base}/api/v1/alerts", settings.api_key, "POST", document)
        print(f"alert {record['id']}: {record['status']}", file=out, flush=True)
        if args.no_wait:
            return 0
        follow(base, settings.api_key, record["id"], out)
    except ApiRefused as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, TimeoutError) as error:
        print(f"cannot reach {base}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
