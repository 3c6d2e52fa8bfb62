"""Each browser's spoken answer while it is being said, and when its interviewer is speaking.

Held server-side, keyed by the owner (from server-side state) and the practice, so a caller of
the streaming endpoint can only feed or take its own answer. Bounded: the oldest answers are
dropped past MAX_OPEN, a browser holds one open answer at a time, and audio past MAX_SECONDS of
one answer is not kept, however much one chunk carries. Audio at a rate no microphone records at
is refused before anything is kept: resampled to 16 kHz, a small upload at 1 Hz would be hours
of audio.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

import numpy as np

from interviewer.speech.audio import to_mono_float32
from interviewer.speech.live import LiveTranscript

MAX_OPEN = 500
MAX_SECONDS = 600.0
MIN_RATE, MAX_RATE = 8_000, 192_000  # telephone audio to the highest common sound card
Key = tuple[str, str]


class LiveAnswers:
    def __init__(self) -> None:
        self._open: dict[Key, LiveTranscript] = {}
        self._ended: dict[Key, LiveTranscript] = {}
        self._voice_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def feed(self, key: Key, listen: Callable[[], LiveTranscript], samples: np.ndarray, rate: int) -> LiveTranscript:
        """Add audio to this owner's answer, opening one with `listen` when none is open. Audio that
        is not a microphone's (its rate, shape or sample type) raises ValueError, and is not kept."""
        if not MIN_RATE <= rate <= MAX_RATE:
            raise ValueError(f"The recording came at {rate:,} Hz; only {MIN_RATE:,} to {MAX_RATE:,} Hz can be heard.")
        samples = to_mono_float32(samples)  # its layout known, the chunk can be cut to the room left
        with self._lock:
            live = self._open.get(key)
            if live is None:
                for other in [k for k in self._open if k[0] == key[0]]:
                    del self._open[other]  # one answer at a time per browser: no one holds hundreds
                live = self._open[key] = listen()
                for old in list(self._open)[:-MAX_OPEN]:
                    del self._open[old]
        room = math.ceil((MAX_SECONDS - live.seconds) * rate)
        if room > 0:
            live.feed(samples[:room], rate)
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
