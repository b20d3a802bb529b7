"""Three fixes of Rasa 3.6 work that is repeated on every message for the same answer.

Profiled under load (10 concurrent REST conversations, py-spy on the Rasa server), a third of the
server's CPU went to two things whose result never changes while it runs:

- ``Event.resolve_by_type`` walks every subclass of ``Event`` (``all_subclasses``, which also calls
  ``inspect.isabstract`` on each) for every event of a tracker it deserialises, that is every event
  of the conversation, on every turn (about 15% of the server's time). The answer per type name is
  kept; a name not found is looked up the original way, so event classes defined later still resolve.
- ``RemoteAction._validate_action_result`` calls ``jsonschema.validate``, which checks the constant
  response schema against its metaschema before validating each action server response (about 16%).
  The validator is built once; each response is still validated against the same schema, and an
  invalid one raises the same error.
- ``LogisticRegressionClassifier.process`` multiplies the message's sparse features by the transposed
  coefficients (classes x features: with the character n-grams, tens of thousands of columns);
  scipy flattens that dense operand in C order on every call, and the transpose of a C-ordered
  array is not, so the whole matrix was copied per message (2.7 ms of 17.5 ms of NLU per message,
  profiled on ``bench/real`` dev texts). The coefficients are kept in Fortran order once (the same
  numbers, so the same probabilities), which makes the transpose C-ordered and the copy go away.

:func:`apply` is called by ``rasa_addons.serve`` before the server starts; nothing changes on import.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from jsonschema import ValidationError, validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event

_ORIGINAL_RESOLVE = Event.resolve_by_type
_ORIGINAL_CLASSIFY = LogisticRegressionClassifier.process
_EVENT_TYPES: dict[str, type[Event]] = {}
#: Per action class: its response schema is a constant of the class.
_VALIDATORS: dict[type, Any] = {}


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """``Event.resolve_by_type``, remembering each type name's class."""
    found = _EVENT_TYPES.get(type_name)
    if found is not None:
        return found
    resolved: type[Event] | None = _ORIGINAL_RESOLVE(type_name, default)
    if resolved is not None and resolved is not default:
        _EVENT_TYPES[type_name] = resolved
    return resolved


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the schema's validator built once."""
    validator = _VALIDATORS.get(type(self))
    if validator is None:
        schema = self.action_response_format_spec()
        cls = validators.validator_for(schema)
        cls.check_schema(schema)
        validator = _VALIDATORS.setdefault(type(self), cls(schema))
    error: ValidationError | None = best_match(validator.iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            "Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def classify(self: LogisticRegressionClassifier, messages: list[Any]) -> list[Any]:
    """``LogisticRegressionClassifier.process`` with the coefficients in Fortran order (once)."""
    coefficients = getattr(self.clf, "coef_", None)
    if isinstance(coefficients, np.ndarray) and not coefficients.flags.f_contiguous:
        self.clf.coef_ = np.asfortranarray(coefficients)
    result: list[Any] = _ORIGINAL_CLASSIFY(self, messages)
    return result


def apply() -> None:
    """Install the three fixes (idempotent)."""
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    LogisticRegressionClassifier.process = classify  # type: ignore[method-assign]
