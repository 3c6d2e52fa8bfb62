"""Each browser's spoken answer while it is being said, and when its interviewer is speaking.

Held server-side, keyed by the owner (from server-side state) and the practice, so a caller of
the streaming endpoint can only feed or take its own answer. Bounded: the oldest answers are
dropped past MAX_OPEN, and audio past MAX_SECONDS of one answer is not kept.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np

from interviewer.speech.live import LiveTranscript

MAX_OPEN = 500
MAX_SECONDS = 600.0
Key = tuple[str, str]


class LiveAnswers:
    def __init__(self) -> None:
        self._open: dict[Key, LiveTranscript] = {}
        self._ended: dict[Key, LiveTranscript] = {}
        self._voice_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def feed(self, key: Key, listen: Callable[[], LiveTranscript], samples: np.ndarray, rate: int) -> LiveTranscript:
        """Add audio to this owner's answer, opening one with `listen` when none is open."""
        with self._lock:
            live = self._open.get(key)
            if live is None:
                live = self._open[key] = listen()
                for old in list(self._open)[:-MAX_OPEN]:
                    del self._open[old]
        if live.seconds < MAX_SECONDS:
            live.feed(samples, rate)
        return live

    def end(self, key: Key) -> None:
        """The answer is over (a pause ended it); the next audio opens a new one."""
        with self._lock:
            if key in self._open:
                self._ended[key] = self._open.pop(key)
                for old in list(self._ended)[:-MAX_OPEN]:
                    del self._ended[old]

    def take(self, key: Key) -> LiveTranscript | None:
        """The answer to turn into a turn: the ended one, else the open one (Stop was pressed)."""
        with self._lock:
            return self._ended.pop(key, None) or self._open.pop(key, None)

    def voice_plays(self, owner: str, seconds: float) -> None:
        with self._lock:
            self._voice_until[owner] = max(time.monotonic(), self._voice_until.get(owner, 0.0)) + seconds

    def voice_playing(self, owner: str) -> bool:
        return self._voice_until.get(owner, 0.0) > time.monotonic()

    def voice_stopped(self, owner: str) -> None:
        with self._lock:
            self._voice_until.pop(owner, None)
