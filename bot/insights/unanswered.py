"""Questions Baraza could not answer, kept (redacted) for the people who improve it, and how many turns
it understood per language per day.

Every citizen turn is counted per day and language; a turn that was not understood, out of scope, or a
question the crisis knowledge base has no entry for is also kept with its language, channel, reason and
time, its text redacted as concerns are. Nothing identifies the citizen: no address, no conversation id.
Entries go when conversations go (``conversation_retention_days``, by housekeeping).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot import redis_keys
from bot.phrases import fold

if TYPE_CHECKING:
    import redis

#: Most entries one listing reads (the newest), so a flood of nonsense cannot make a listing slow.
MAX_READ = 20_000
#: How similar (0 to 1, character n-grams) two questions must be to count as the same wording.
SAME_WORDING = 0.6
#: Day counters live a little longer than the longest view asks for.
COUNTER_DAYS = 120


@dataclass(frozen=True)
class Unanswered:
    """One question that went unanswered."""

    at: datetime
    language: str
    channel: str
    reason: str  #: not_understood | out_of_scope | no_answer
    text: str  #: redacted


@dataclass(frozen=True)
class Group:
    """Questions of similar wording: how many, an example, and in which languages."""

    example: str
    count: int
    languages: tuple[str, ...]
    reasons: tuple[str, ...]
    last: datetime


class UnansweredLog:
    """Counts turns and keeps the unanswered ones, in Redis."""

    def __init__(self, client: redis.Redis[bytes], redact: Callable[[str], str]) -> None:
        self._redis = client
        self._redact = redact

    def record(self, *, language: str, channel: str, reason: str, text: str, at: datetime) -> None:
        """Count one citizen turn; keep its text (redacted) when it went unanswered (``reason``)."""
        day = at.date().isoformat()
        pipe = self._redis.pipeline(transaction=False)
        pipe.hincrby(redis_keys.turns_of_day(day), f"{language}:all", 1)
        if reason:
            pipe.hincrby(redis_keys.turns_of_day(day), f"{language}:missed", 1)
            entry = {"at": at.isoformat(), "language": language, "channel": channel, "reason": reason}
            entry["text"] = self._redact(text)[:500]
            pipe.zadd(redis_keys.unanswered(), {json.dumps(entry, ensure_ascii=False): at.timestamp()})
        pipe.expire(redis_keys.turns_of_day(day), COUNTER_DAYS * 86400)
        pipe.execute()

    def entries(self, since: datetime, until: datetime, language: str | None = None) -> list[Unanswered]:
        """The unanswered questions between two times, newest first (at most :data:`MAX_READ`)."""
        raw = self._redis.zrevrangebyscore(
            redis_keys.unanswered(), until.timestamp(), since.timestamp(), start=0, num=MAX_READ
        )
        found = []
        for member in raw:
            data = json.loads(member)
            if language and data["language"] != language:
                continue
            found.append(
                Unanswered(
                    datetime.fromisoformat(data["at"]),
                    data["language"],
                    data["channel"],
                    data["reason"],
                    data["text"],
                )
            )
        return found

    def understood(self, first: date, last: date) -> list[dict[str, object]]:
        """Per day and language: turns, turns not answered, and the share understood."""
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        pipe = self._redis.pipeline(transaction=False)
        for day in days:
            pipe.hgetall(redis_keys.turns_of_day(day.isoformat()))
        rows: list[dict[str, object]] = []
        for day, counts in zip(days, pipe.execute(), strict=True):
            totals: dict[str, dict[str, int]] = {}
            for field, value in counts.items():
                language, _, kind = field.decode().partition(":")
                totals.setdefault(language, {"all": 0, "missed": 0})[kind] = int(value)
            for language, total in sorted(totals.items()):
                share = 1 - total["missed"] / total["all"] if total["all"] else None
                rows.append(
                    {
                        "day": day.isoformat(),
                        "language": language,
                        "turns": total["all"],
                        "unanswered": total["missed"],
                        "understood": None if share is None else round(share, 4),
                    }
                )
        return rows

    def forget_before(self, moment: datetime) -> int:
        """Remove the questions older than ``moment`` (retention); how many went."""
        return int(self._redis.zremrangebyscore(redis_keys.unanswered(), "-inf", f"({moment.timestamp()}"))


def grouped(entries: list[Unanswered], similar: float = SAME_WORDING) -> list[Group]:
    """Entries grouped by similar wording (each joins the first group whose example it is close to),
    the largest groups first."""
    if not entries:
        return []
    texts = [fold(e.text) or e.text for e in entries]
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit_transform(texts)
    leaders: list[int] = []
    members: dict[int, list[int]] = {}
    for index in range(len(entries)):
        if leaders:
            scores = np.asarray((vectors[leaders] @ vectors[index].T).todense()).ravel()
            best = int(np.argmax(scores))
            if scores[best] >= similar:
                members[leaders[best]].append(index)
                continue
        leaders.append(index)
        members[index] = [index]
    groups = []
    for leader, indexes in members.items():
        chosen = [entries[i] for i in indexes]
        groups.append(
            Group(
                example=entries[leader].text,
                count=len(chosen),
                languages=tuple(sorted({e.language for e in chosen})),
                reasons=tuple(sorted({e.reason for e in chosen})),
                last=max(e.at for e in chosen),
            )
        )
    return sorted(groups, key=lambda g: (-g.count, -g.last.timestamp()))
