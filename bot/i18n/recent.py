"""The language each recent conversation was last held in, kept in this process's memory.

The language of a conversation is a slot of its tracker, which lives in Redis. When Redis is what
failed, the citizen must still be told to try again in their language: so every tracker this process
reads or saves leaves its language here, and the try-again answer looks it up first (then the
channel's hint, then the default language). Memory only, by design: it must work exactly when the
shared store does not. It is bounded (least recently seen forgotten first) and holds a code, never a
message. Another replica that never saw the conversation falls back to the channel's hint.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

#: Conversations remembered per process: about 10 MB at most.
CAPACITY = 100_000


class RecentLanguages:
    """Conversation id -> language code, least recently seen forgotten first."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = max(1, capacity)
        self._languages: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, conversation_id: str, language: str | None) -> None:
        """Note the conversation's language (nothing when it has none yet)."""
        if not conversation_id or not language:
            return
        with self._lock:
            self._languages[conversation_id] = language
            self._languages.move_to_end(conversation_id)
            while len(self._languages) > self._capacity:
                self._languages.popitem(last=False)

    def recall(self, conversation_id: str) -> str:
        """The conversation's last known language, or ""."""
        with self._lock:
            return self._languages.get(conversation_id, "")

    def __len__(self) -> int:
        return len(self._languages)
