"""Where the speech is: Silero VAD, as packaged inside faster-whisper (no download), read window
by window so that audio arriving in pieces gives exactly the probabilities of the whole file.

`utterances` cuts speech into the stretches Whisper transcribes one at a time. The cut depends
only on the probabilities, and a stretch once closed never changes as more audio arrives, so a
recording transcribed live while the candidate speaks and the same recording read from a file
give the same pieces, hence the same transcript.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

RATE = 16_000
WINDOW = 512  # samples per probability: 32 ms at 16 kHz, Silero's window
_CONTEXT = 64  # samples of the previous window Silero reads with each window
WINDOW_SECONDS = WINDOW / RATE

SPEECH_ON = 0.5  # a window this likely to be speech starts an utterance
SPEECH_OFF = 0.35  # below this, a window is silence
PAUSE_SECONDS = 0.5  # a silence this long ends an utterance
# Whisper reads 30 s at a time whatever the length, so short pieces cost as much as long ones;
# but the last piece is transcribed after the candidate stops, so it must stay short.
SOFT_MAX_SECONDS = 8.0  # past this, a shorter breath ends the utterance
BREATH_SECONDS = 0.2
HARD_MAX_SECONDS = 20.0  # and past this it is cut at its quietest window
PAD_SECONDS = 0.2  # audio kept either side of an utterance, so first and last sounds are whole


@dataclass(frozen=True)
class Utterance:
    """A stretch of speech, in windows from the start of the audio (end exclusive)."""

    start: int
    end: int

    def samples(self, size: int) -> tuple[int, int]:
        """Its sample range in 16 kHz audio of `size` samples, padded."""
        pad = round(PAD_SECONDS * RATE)
        return max(0, self.start * WINDOW - pad), min(size, self.end * WINDOW + pad)


class SpeechProbabilities:
    """Silero's speech probability for each 32 ms window of 16 kHz audio fed in any pieces."""

    def __init__(self) -> None:
        from faster_whisper.vad import get_vad_model  # bundled ONNX model, loaded once per process

        self._session = get_vad_model().session
        self._state = np.zeros((1, 1, 128), dtype=np.float32), np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros((1, _CONTEXT), dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)
        self._lock = threading.Lock()
        self.values: list[float] = []

    def feed(self, audio: np.ndarray) -> None:
        """Add 16 kHz mono float32 samples; probabilities appear for each complete window."""
        with self._lock:
            self._pending = np.concatenate([self._pending, audio.astype(np.float32, copy=False)])
            whole = self._pending.size // WINDOW * WINDOW
            if not whole:
                return
            windows, self._pending = self._pending[:whole].reshape(-1, WINDOW), self._pending[whole:]
            batch = np.concatenate([np.vstack([self._context, windows[:-1, -_CONTEXT:]]), windows], axis=1)
            output, *self._state = self._session.run(None, {"input": batch, "h": self._state[0], "c": self._state[1]})
            self._context = windows[-1:, -_CONTEXT:]
            self.values.extend(float(p) for p in np.ravel(output))


def utterances(probabilities: list[float], final: bool) -> list[Utterance]:
    """The utterances in `probabilities`; the last one open (still being spoken) is left out
    unless `final`, when the audio has ended."""
    found: list[Utterance] = []
    start: int | None = None
    silent_since: int | None = None
    for index, probability in enumerate(probabilities):
        if start is None:
            if probability >= SPEECH_ON:
                start, silent_since = index, None
            continue
        if probability >= SPEECH_ON:
            silent_since = None
        elif probability < SPEECH_OFF and silent_since is None:
            silent_since = index
        if silent_since is not None and _pause_ends(index + 1 - silent_since, index + 1 - start):
            found.append(Utterance(start, silent_since))
            start = silent_since = None
        elif index + 1 - start >= windows(HARD_MAX_SECONDS):
            cut = start + int(np.argmin(probabilities[start + windows(SOFT_MAX_SECONDS) : index + 1])) + windows(SOFT_MAX_SECONDS)
            found.append(Utterance(start, cut))
            start, silent_since = cut, None
    if final and start is not None:
        found.append(Utterance(start, silent_since if silent_since is not None else len(probabilities)))
    return found


def _pause_ends(silent_windows: int, utterance_windows: int) -> bool:
    needed = PAUSE_SECONDS if utterance_windows < windows(SOFT_MAX_SECONDS) else BREATH_SECONDS
    return silent_windows >= windows(needed)


def windows(seconds: float) -> int:
    """How many 32 ms windows make `seconds`."""
    return round(seconds / WINDOW_SECONDS)
