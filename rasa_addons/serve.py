"""Run the Rasa server with :mod:`rasa_addons.speedups`, :mod:`rasa_addons.tracker_append`,
:mod:`rasa_addons.lookup_matching`, :mod:`rasa_addons.store_failure`, :mod:`rasa_addons.handoff` and
:mod:`rasa_addons.limits` applied.

``python -m rasa_addons.serve run ...`` takes ``rasa``'s own command line. The HTTP API's token is
not on it (``ps`` would show it to every user of the machine): it is read from RASA_AUTH_TOKEN and
handed to Rasa's argument parser inside this process (the process's visible command line is the
one it was started with).
"""

from __future__ import annotations

import sys

from rasa.__main__ import main as rasa_main

from bot.settings import load_settings
from rasa_addons import handoff, limits, lookup_matching, speedups, store_failure, tracker_append


def with_auth_token(argv: list[str], token: str) -> list[str]:
    """``argv`` with ``--auth-token <token>`` for ``rasa run`` (unchanged without a token)."""
    if not token or argv[1:2] != ["run"] or "--auth-token" in argv:
        return argv
    return [*argv, "--auth-token", token]


def main() -> None:
    """Apply the speed-ups, the limits and the store-failure answer, then hand over to Rasa."""
    speedups.apply()
    tracker_append.apply()
    lookup_matching.apply()
    store_failure.apply()
    handoff.apply()  # inside the limits: a refused message does not reach the desk
    limits.apply()  # outermost: a refused message takes no lock and is not held
    sys.argv = with_auth_token(sys.argv, load_settings().rasa_auth_token)
    rasa_main()


if __name__ == "__main__":
    main()
