"""Offline speech-to-text: faster-whisper running the packaged Whisper base model on the CPU.

The model loads at first use (about 1.5 s) and is shared by every transcriber in the process,
keyed by folder and settings. Decoding is greedy (beam 1) at temperature 0 with no sampling
fallback, so the same audio always gives the same words; on 2 cores beam 5 costs about 60% more
time for the same words on interview-style speech. Whisper tidies away "um" and "uh" unless its
prompt shows them, and the delivery metrics need them, so the prompt is a disfluent sentence.
It is given once per clip: the app sends one utterance at a time (`live.py`), well under
Whisper's 30-second window, because a prompt repeated over the windows of a long recording made
Whisper drop passages or write the prompt itself; a clip that still echoes the prompt is read
again without it. Silero VAD (bundled with faster-whisper, no download) drops silence, which is
where Whisper would otherwise invent words such as "Thank you."
"""

from __future__ import annotations

import copy
import functools
import io
import re
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from interviewer.speech.audio import duration_seconds, to_mono_float32, wav_bytes
from interviewer.speech.model_files import (
    SPEECH_PACKAGES,
    SpeechModelError,
    reinstall_command,
    whisper_model_dir,
)
from interviewer.speech.protocol import Segment, Transcript, Word

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

WHISPER_SAMPLE_RATE = 16_000
# Shows Whisper that hesitations are to be written down (its training data mostly drops them).
DISFLUENT_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking."
# Below this, Whisper hardly believes a word itself: a last segment of such words was made up.
LEAST_LIKELY = 0.1

_LOAD_LOCK = threading.Lock()


def load_whisper_model(model_dir: Path, cpu_threads: int = 2, compute_type: str = "int8") -> WhisperModel:
    """The shared model for these settings, loaded once per process."""
    with _LOAD_LOCK:  # two sessions' first answers must not load it twice
        return _load(str(model_dir), cpu_threads, compute_type)


@functools.lru_cache(maxsize=2)
def _load(model_dir: str, cpu_threads: int, compute_type: str) -> WhisperModel:
    try:
        from faster_whisper import WhisperModel
    except ImportError as error:
        raise SpeechModelError(
            f"Offline speech-to-text needs faster-whisper ({error}). Fix: {reinstall_command(*SPEECH_PACKAGES)}"
        ) from error
    return WhisperModel(model_dir, device="cpu", compute_type=compute_type, cpu_threads=cpu_threads)


class WhisperTranscriber:
    """A `Transcriber` for English with faster-whisper; the model is loaded on first use."""

    name = "faster-whisper"

    def __init__(
        self,
        model_dir: Path | str | None = None,
        *,
        cpu_threads: int = 2,
        compute_type: str = "int8",
        beam_size: int = 1,
        prompt: str | None = DISFLUENT_PROMPT,
        vad_filter: bool = True,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._model_dir = Path(model_dir) if model_dir is not None else None
        self._environ = environ
        self.cpu_threads = cpu_threads
        self.compute_type = compute_type
        self.beam_size = beam_size
        self.prompt = prompt
        self.vad_filter = vad_filter

    @property
    def model_dir(self) -> Path:
        """The folder in use: the explicit one, INTERVIEWER_WHISPER_MODEL, or the packaged model."""
        if self._model_dir is None:
            self._model_dir = whisper_model_dir(self._environ)
        return self._model_dir

    def load(self) -> WhisperModel:
        """Load (or fetch the shared) model now, e.g. while the app starts, to spare the first answer."""
        return load_whisper_model(self.model_dir, self.cpu_threads, self.compute_type)

    def with_terms(self, terms: Sequence[str]) -> WhisperTranscriber:
        """This transcriber with `terms` leading its prompt: Whisper then writes them as shown
        ("LightGBM", not "like GBM"). Only a question's few dozen terms: the prompt's last 223
        tokens are all Whisper reads, and the disfluent sentence must come last to keep the "um"s."""
        expecting = copy.copy(self)
        expecting.prompt = " ".join(part for part in (", ".join(terms) + ".", self.prompt) if part)
        return expecting

    def transcribe(self, audio: np.ndarray, sample_rate: int) -> Transcript:
        duration = duration_seconds(audio, sample_rate)
        samples = resample_for_whisper(audio, sample_rate)
        if samples.size == 0:
            return Transcript(text="", language="en", duration_seconds=duration, model=self.name)
        transcript = self._decode(samples, duration, self.prompt)
        if self.prompt and _echoes(transcript.text, self.prompt):
            transcript = self._decode(samples, duration, None)  # the prompt leaked in: read it again without
        return transcript

    def _decode(self, samples: np.ndarray, duration: float, prompt: str | None) -> Transcript:
        segments, _info = self.load().transcribe(
            samples,
            language="en",
            beam_size=self.beam_size,
            temperature=0.0,  # no sampling fallback: the same audio gives the same words
            word_timestamps=True,
            vad_filter=self.vad_filter,
            condition_on_previous_text=False,
            initial_prompt=prompt,
        )
        return _to_transcript(list(segments), duration, f"{self.name}:{self.model_dir.name}")


def _echoes(text: str, prompt: str, run: int = 4) -> bool:
    """True when `text` repeats `run` words in a row of the prompt."""
    said, shown = _plain_words(text), _plain_words(prompt)
    runs = {tuple(shown[i : i + run]) for i in range(len(shown) - run + 1)}
    return any(tuple(said[i : i + run]) in runs for i in range(len(said) - run + 1))


def _plain_words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def resample_for_whisper(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Mono float32 at 16 kHz. Resampled with libswresample (through PyAV, a faster-whisper
    dependency), because plain interpolation from a 48 kHz microphone aliases."""
    mono = to_mono_float32(audio)
    if sample_rate == WHISPER_SAMPLE_RATE or mono.size == 0:
        return mono
    from faster_whisper.audio import decode_audio

    return decode_audio(io.BytesIO(wav_bytes(mono, sample_rate)), sampling_rate=WHISPER_SAMPLE_RATE)


def _to_transcript(segments: list[Any], duration: float, model: str) -> Transcript:
    spoken = [(segment, _words(segment)) for segment in segments if segment.text.strip()]
    while spoken and spoken[-1][1] and all((w.probability or 0.0) < LEAST_LIKELY for w in spoken[-1][1]):
        spoken.pop()  # a word Whisper put in the silence after the answer ("you", "Thanks.")
    words = [word for _, said in spoken for word in said]
    spans = [
        Segment(text=segment.text.strip(), start=max(0.0, float(segment.start)), end=max(0.0, float(segment.end)))
        for segment, _ in spoken
    ]
    text = " ".join(s.text for s in spans)
    return Transcript(text=text, words=words, segments=spans, language="en", duration_seconds=duration, model=model)


def _words(segment: Any) -> list[Word]:
    return [
        Word(
            word=word.word.strip(),
            start=max(0.0, float(word.start)),
            end=max(0.0, float(word.end)),
            probability=float(word.probability),
        )
        for word in segment.words or ()
        if word.word.strip()
    ]
