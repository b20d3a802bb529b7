"""Run the Rasa server with :mod:`rasa_addons.speedups` and :mod:`rasa_addons.limits` applied.

``python -m rasa_addons.serve run ...`` takes ``rasa``'s own command line.
"""

from __future__ import annotations

from rasa.__main__ import main as rasa_main

from rasa_addons import limits, speedups


def main() -> None:
    """Apply the speed-ups and the limits, then hand over to Rasa."""
    speedups.apply()
    limits.apply()
    rasa_main()


if __name__ == "__main__":
    main()
