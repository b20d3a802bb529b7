"""The base of Baraza's NLU components: built from their ``config.yml`` entry alone."""

from __future__ import annotations

from typing import Any, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

C = TypeVar("C", bound="ConfiguredComponent")


class ConfiguredComponent(GraphComponent):
    """An NLU component built from its ``config.yml`` entry alone (nothing trained, nothing stored)."""

    @classmethod
    def create(
        cls: type[C],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> C:
        """Rasa's constructor hook: :meth:`from_config`, at model load (never at import)."""
        return cls.from_config(config)

    @classmethod
    def from_config(cls: type[C], config: dict[str, Any]) -> C:
        """The component for ``config``; override to read what it needs (catalogues, locales)."""
        return cls(config)  # type: ignore[call-arg]


def force_intent(message: Message, intent: str, confidence: float = 1.0) -> None:
    """Give ``message`` ``intent``, with full confidence unless told (rules that must not depend on a
    model)."""
    decided = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: confidence}
    message.set(INTENT, decided, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [decided], add_to_output=True)
