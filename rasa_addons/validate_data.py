"""``rasa data validate --fail-on-warnings``, knowing that ``EXTERNAL_*`` intents have no NLU examples.

Intents named ``EXTERNAL_...`` (Rasa's convention for external events) are only ever triggered
through the HTTP API (``trigger_intent``), never typed by a citizen, so they have no training
examples on purpose; so is ``distress``, which only an NLU component sets (the phrases of every
language are data, ``rasa_addons.distress``: danger is never left to a model). Every other check
and warning of Rasa's validator applies unchanged.

Usage: ``python -m rasa_addons.validate_data`` (run by ``./baraza test``).
"""

from __future__ import annotations

import sys

from rasa.cli.utils import _validate_domain, _validate_nlu, _validate_story_structure
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.validator import Validator

EXTERNAL_PREFIX = "EXTERNAL_"
#: Intents set by an NLU component alone, never learned from examples.
FORCED_INTENTS = frozenset({"distress"})


class BarazaValidator(Validator):
    """Rasa's validator, minus the "no NLU examples" warning for external and forced intents."""

    def _non_default_intents(self) -> list[str]:
        return [
            i
            for i in super()._non_default_intents()
            if not i.startswith(EXTERNAL_PREFIX) and i not in FORCED_INTENTS
        ]


def main() -> int:
    """Validate domain.yml, data/ and config.yml; exit 1 on any error or warning."""
    importer = TrainingDataImporter.load_from_config(
        config_path="config.yml", domain_path="domain.yml", training_data_paths=["data"]
    )
    validator = BarazaValidator.from_importer(importer)
    valid_domain = _validate_domain(validator)
    valid_nlu = _validate_nlu(validator, fail_on_warnings=True)
    valid_stories = _validate_story_structure(validator, max_history=None, fail_on_warnings=True)
    if valid_domain and valid_nlu and valid_stories:
        print("training data OK")
        return 0
    print("training data has errors or warnings (see above)", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
