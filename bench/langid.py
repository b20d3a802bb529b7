"""Language identification on the public test data in ../shared/benchmarks/langid/.

Usage: ``python -m bench.langid [DATA_DIR]``. For each bucket (single word, word pair, sentence) and
language: accuracy of Baraza's identifier (lingua, with langdetect, langid.py and CLD3 as second opinions)
next to plain ``langdetect`` (seeded, all its languages) on the same texts, and the time per message.
The data is only measured on, never trained or tuned on.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import langdetect
from langdetect.lang_detect_exception import LangDetectException

from bot.language.identify import LanguageIdentifier
from bot.settings import PROJECT_ROOT

BUCKETS = ("single-words", "word-pairs", "sentences")
LANGUAGES = ("en", "fr", "es", "ar", "pt", "sw")
TARGETS = {"single-words": 0.80, "word-pairs": 0.92, "sentences": 0.995}


def plain_langdetect(text: str) -> str | None:
    """``langdetect.detect`` as a project would call it out of the box (seeded)."""
    try:
        return str(langdetect.detect(text))
    except LangDetectException:
        return None


def main() -> None:
    """Print the accuracy table and timing."""
    data_dir = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT_ROOT.parent / "shared" / "benchmarks" / "langid"
    )
    langdetect.DetectorFactory.seed = 0
    identifier = LanguageIdentifier(LANGUAGES)
    timings: list[float] = []
    print(f"Language identification on {data_dir}")
    print(f"{'bucket':<14}{'lang':<6}{'n':>6}{'baraza':>9}{'langdetect':>12}")
    for bucket in BUCKETS:
        totals = [0, 0, 0]
        for language in LANGUAGES:
            lines = [
                line.strip()
                for line in (data_dir / bucket / f"{language}.txt").read_text(encoding="utf-8").splitlines()
                if line.strip()
            ]
            ours = plain = 0
            for line in lines:
                started = time.perf_counter()
                detected = identifier.identify(line).language
                timings.append(time.perf_counter() - started)
                ours += detected == language
                plain += plain_langdetect(line) == language
            totals[0] += len(lines)
            totals[1] += ours
            totals[2] += plain
            n = len(lines)
            print(f"{bucket:<14}{language:<6}{n:>6}{ours / n:>9.3f}{plain / n:>12.3f}")
        status = "meets" if totals[1] / totals[0] >= TARGETS[bucket] else "BELOW"
        print(
            f"{bucket:<14}{'all':<6}{totals[0]:>6}{totals[1] / totals[0]:>9.3f}{totals[2] / totals[0]:>12.3f}"
            f"   target {TARGETS[bucket]} ({status})"
        )
    timings.sort()
    print(
        f"time per message (baraza): mean {statistics.mean(timings) * 1000:.3f} ms, "
        f"p50 {timings[len(timings) // 2] * 1000:.3f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)] * 1000:.3f} ms, "
        f"max {timings[-1] * 1000:.1f} ms over {len(timings)} messages"
    )


if __name__ == "__main__":
    main()
