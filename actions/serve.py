"""Run the action server with its language models loaded before the first citizen writes.

``python -m actions.serve`` takes rasa-sdk's own arguments. Loading the language identifier (lingua
and the second-opinion detectors, about 1.5 s) here rather than on the first message keeps the first
answer after a start or restart as fast as the others.
"""

from __future__ import annotations

from rasa_sdk.__main__ import main as rasa_sdk_main

from actions import resources


def main() -> None:
    """Load the identifier, then serve."""
    resources.identifier()
    rasa_sdk_main()


if __name__ == "__main__":
    main()
