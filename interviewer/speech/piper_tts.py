"""Offline text-to-speech: piper (onnxruntime + its bundled espeak-ng) with the packaged
en_US-joe-medium voice, or the voice INTERVIEWER_PIPER_VOICE points to.

The voice loads at first use (about 1.5 s) and is shared by every synthesizer in the process.
Piper speaks one sentence per call to the model, so `stream` can hand the first sentence to
the browser while the rest is still being made.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from interviewer.speech.model_files import (
    PIPER_VOICE_ENV,
    SPEECH_PACKAGES,
    SpeechModelError,
    piper_voice_files,
    reinstall_command,
)
from interviewer.speech.speakable import speakable

if TYPE_CHECKING:
    from piper import PiperVoice, SynthesisConfig

_LOAD_LOCK = threading.Lock()


def load_piper_voice(model: Path, config: Path) -> PiperVoice:
    """The shared voice for these files, loaded once per process."""
    with _LOAD_LOCK:
        return _load(str(model), str(config))


@functools.lru_cache(maxsize=2)
def _load(model: str, config: str) -> PiperVoice:
    try:
        from piper import PiperVoice
    except ImportError as error:
        raise SpeechModelError(
            f"Offline text-to-speech needs piper-tts ({error}). Fix: {reinstall_command(*SPEECH_PACKAGES)}"
        ) from error
    return PiperVoice.load(model, config_path=config)


class PiperSynthesizer:
    """A `Synthesizer` with piper; the voice is loaded on first use."""

    name = "piper"

    def __init__(
        self,
        voice: Path | str | None = None,
        *,
        sentence_pause_seconds: float = 0.2,
        length_scale: float | None = None,
        variation: float | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        """`voice`: a piper .onnx file with its .onnx.json beside it; default INTERVIEWER_PIPER_VOICE,
        else the packaged voice. `length_scale` above 1 speaks more slowly. `variation` is piper's
        noise (the voice's default is about 0.67): at 0 a text is said the same way every time."""
        self._voice = Path(voice) if voice is not None else None
        self._environ = environ
        self.sentence_pause_seconds = sentence_pause_seconds
        self.length_scale = length_scale
        self.variation = variation

    def voice_files(self) -> tuple[Path, Path]:
        if self._voice is not None:
            return piper_voice_files({PIPER_VOICE_ENV: str(self._voice)})
        return piper_voice_files(self._environ)

    def load(self) -> PiperVoice:
        """Load (or fetch the shared) voice now, e.g. while the app starts."""
        return load_piper_voice(*self.voice_files())

    @property
    def sample_rate(self) -> int:
        return int(self.load().config.sample_rate)

    def stream(self, text: str) -> Iterator[tuple[int, np.ndarray]]:
        """`(sample_rate, int16 samples)` per sentence as soon as it is made; every sentence but
        the first starts with a short pause."""
        voice = self.load()
        config = self._config()
        pause = np.zeros(int(voice.config.sample_rate * self.sentence_pause_seconds), dtype=np.int16)
        for index, chunk in enumerate(voice.synthesize(speakable(text), syn_config=config)):
            samples = chunk.audio_int16_array
            yield chunk.sample_rate, np.concatenate([pause, samples]) if index else samples

    def _config(self) -> SynthesisConfig | None:
        """Piper's settings where they differ from the voice's own; None keeps them all."""
        from piper import SynthesisConfig

        overrides = {"length_scale": self.length_scale, "noise_scale": self.variation, "noise_w_scale": self.variation}
        chosen = {name: value for name, value in overrides.items() if value is not None}
        return SynthesisConfig(**chosen) if chosen else None

    def synthesize(self, text: str) -> tuple[int, np.ndarray]:
        rate = self.sample_rate
        pieces = [samples for _, samples in self.stream(text)]
        return rate, np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int16)
