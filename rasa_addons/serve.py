"""Run the Rasa server with :mod:`rasa_addons.speedups` and :mod:`rasa_addons.store_failure` applied.

``python -m rasa_addons.serve run ...`` takes ``rasa``'s own command line.
"""

from __future__ import annotations

from rasa.__main__ import main as rasa_main

from rasa_addons import speedups, store_failure


def main() -> None:
    """Apply the speed-ups and the store-failure answer, then hand over to Rasa."""
    speedups.apply()
    store_failure.apply()
    rasa_main()


if __name__ == "__main__":
    main()
