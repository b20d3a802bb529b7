"""Run the action server with its language models loaded before the first citizen writes.

``python -m actions.serve`` takes rasa-sdk's own arguments. Loading the language identifier (lingua
and the second-opinion detectors, about 1.5 s) here rather than on the first message keeps the first
answer after a start or restart as fast as the others.
"""

from __future__ import annotations

from rasa_sdk.__main__ import main as rasa_sdk_main

from bot.services import shared


def main() -> None:
    """Load the language identifier, then serve."""
    _ = shared().language_identifier  # building it loads the models
    rasa_sdk_main()


if __name__ == "__main__":
    main()
