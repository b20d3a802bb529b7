"""NLU accuracy on the held-out test set (tests/nlu/heldout/<lang>.yml), per language.

Usage: ``python -m bench.nlu [MODEL]``. Prints intent macro-F1 and entity F1 (micro, over
(entity, value) pairs) per language. The held-out set was written separately from the training data.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from pathlib import Path

from bot.settings import PROJECT_ROOT

HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout"


def load_examples(path: Path) -> list[tuple[str, str, set[tuple[str, str]]]]:
    """(text, intent, {(entity, value)}) for each held-out example."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    examples = []
    for message in data.intent_examples:
        entities = {(e["entity"], str(e.get("value"))) for e in message.get("entities") or []}
        examples.append((message.get("text"), message.get("intent"), entities))
    return examples


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    """Macro-averaged F1 over the gold intents."""
    labels = sorted(set(gold))
    scores = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=False) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=False) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=False) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def entity_f1(gold: list[set[tuple[str, str]]], predicted: list[set[tuple[str, str]]]) -> float:
    """Micro F1 over (entity, value) pairs."""
    tp = sum(len(g & p) for g, p in zip(gold, predicted, strict=False))
    fp = sum(len(p - g) for g, p in zip(gold, predicted, strict=False))
    fn = sum(len(g - p) for g, p in zip(gold, predicted, strict=False))
    if tp == 0:
        return 0.0
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return 2 * precision * recall / (precision + recall)


async def evaluate(model: Path) -> dict[str, dict[str, float]]:
    """Figures per language."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    results: dict[str, dict[str, float]] = {}
    confusions: Counter[tuple[str, str]] = Counter()
    for path in sorted(HELDOUT.glob("*.yml")):
        examples = load_examples(path)
        gold_intents, predicted_intents, gold_entities, predicted_entities = [], [], [], []
        for text, intent, entities in examples:
            parsed = await agent.parse_message(text)
            predicted = parsed["intent"]["name"]
            gold_intents.append(intent)
            predicted_intents.append(predicted)
            if predicted != intent:
                confusions[(f"{path.stem}:{intent}", predicted)] += 1
            gold_entities.append(entities)
            predicted_entities.append({(e["entity"], str(e["value"])) for e in parsed["entities"]})
        results[path.stem] = {
            "examples": len(examples),
            "intent_macro_f1": macro_f1(gold_intents, predicted_intents),
            "intent_accuracy": sum(g == p for g, p in zip(gold_intents, predicted_intents, strict=False))
            / len(examples),
            "entity_f1": entity_f1(gold_entities, predicted_entities),
        }
    if "-v" in sys.argv:
        for (gold, predicted), count in confusions.most_common(40):
            print(f"  {gold} -> {predicted}: {count}")
    return results


def main() -> None:
    """Print the figures."""
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    model = Path(args[0]) if args else PROJECT_ROOT / "models" / "baraza.tar.gz"
    started = time.perf_counter()
    results = asyncio.run(evaluate(model))
    print(f"NLU held-out evaluation of {model.name} ({time.perf_counter() - started:.0f} s)")
    print(f"{'language':<9}{'examples':>9}{'intent macro-F1':>17}{'intent acc':>12}{'entity F1':>11}")
    for language, figures in results.items():
        print(
            f"{language:<9}{figures['examples']:>9}{figures['intent_macro_f1']:>17.3f}"
            f"{figures['intent_accuracy']:>12.3f}{figures['entity_f1']:>11.3f}"
        )


if __name__ == "__main__":
    main()
