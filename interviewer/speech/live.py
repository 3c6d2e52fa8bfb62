"""Transcribing an answer while it is spoken: each utterance goes to the recogniser as soon as a
pause closes it, so when the candidate stops only the last few seconds are left to transcribe,
however long the answer ran.

A whole recording goes through the same path (`transcribe_recording`), so `interviewer
transcribe FILE`, push-to-talk and hands-free give the same transcript of the same audio.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from interviewer.speech.audio import to_mono_float32
from interviewer.speech.protocol import Segment, Transcriber, Transcript, Word
from interviewer.speech.vad import (
    BREATH_SECONDS,
    RATE,
    SPEECH_ON,
    WINDOW_SECONDS,
    SpeechProbabilities,
    Utterance,
    utterances,
    windows,
)

Correct = Callable[[str], str]


class Resampler:
    """Any rate to 16 kHz mono float32, keeping the filter's state between pieces (libswresample
    through PyAV, a faster-whisper dependency), so pieces give exactly the samples of the whole."""

    def __init__(self, rate: int) -> None:
        import av

        self.rate = rate
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE) if rate != RATE else None

    def __call__(self, samples: np.ndarray | None) -> np.ndarray:
        """Resample the next piece; None flushes what the filter still holds."""
        if self._resampler is None:
            return np.zeros(0, np.float32) if samples is None else samples
        if samples is not None and samples.size == 0:
            return samples  # libswresample refuses an empty frame
        import av

        frame = None
        if samples is not None:
            frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
            frame.sample_rate = self.rate
        pieces = [out.to_ndarray().ravel() for out in self._resampler.resample(frame)]
        return np.concatenate(pieces).astype(np.float32) if pieces else np.zeros(0, np.float32)


class LiveTranscript:
    """One answer being transcribed as it arrives. Feed audio, read `text` for the running
    transcript, and `finish()` for the whole one."""

    def __init__(self, transcriber: Transcriber, correct: Correct | None = None, *, guess: bool = True) -> None:
        """`guess`: transcribe the last utterance at each breath while it is still open (see `_guess`)."""
        self._transcriber = transcriber
        self._correct = correct or (lambda text: text)
        self._audio: list[np.ndarray] = []
        self._size = 0
        self._resample: Resampler | None = None
        self._speech = SpeechProbabilities()
        self._sent = 0  # utterances handed to the recogniser
        self._pieces: list[tuple[Utterance, Future[Transcript]]] = []
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="transcribe")  # in order
        self._lock = threading.Lock()
        self._guesses = guess
        self._guess_made: tuple[Utterance, Future[Transcript]] | None = None

    @property
    def seconds(self) -> float:
        return self._size / RATE

    @property
    def audio(self) -> np.ndarray:
        """The recording so far, 16 kHz mono float32."""
        with self._lock:
            return self._whole()

    @property
    def heard_speech(self) -> bool:
        return any(p >= SPEECH_ON for p in self._speech.values)

    @property
    def silence(self) -> float:
        """Seconds since the candidate last spoke (0 while speaking or before the first word)."""
        values = self._speech.values
        if not self.heard_speech:
            return 0.0
        quiet = next((i for i, p in enumerate(reversed(values)) if p >= SPEECH_ON), len(values))
        return quiet * WINDOW_SECONDS

    @property
    def speaking(self) -> bool:
        """Whether the candidate is talking right now: most of the last quarter second is speech."""
        recent = self._speech.values[-windows(0.25) :]
        return bool(recent) and sum(p >= SPEECH_ON for p in recent) > len(recent) / 2

    def said_so_far(self) -> str | None:
        """The transcript up to a pause, once every utterance before it is transcribed; None while
        the candidate speaks or the last utterance is still with the recogniser."""
        with self._lock:  # every closed utterance is sent as it closes: more would mean one is open
            if len(utterances(self._speech.values, final=True)) > self._sent or self.busy:
                return None
        return self.text

    @property
    def busy(self) -> bool:
        """Whether an utterance is still being transcribed."""
        return any(not piece.done() for _, piece in self._pieces)

    @property
    def text(self) -> str:
        """What has been transcribed so far."""
        return " ".join(p.result().text for _, p in self._pieces if p.done() and not p.exception() and p.result().text)

    def feed(self, audio: np.ndarray, rate: int) -> None:
        """Add the next piece of the recording (any dtype or layout; the rate must not change)."""
        with self._lock:
            if self._resample is None:
                self._resample = Resampler(rate)
            elif rate != self._resample.rate:
                raise ValueError(f"the sample rate changed within one answer ({self._resample.rate} Hz, then {rate} Hz)")
            self._add(self._resample(to_mono_float32(audio)))
            self._send(final=False)
            if self._guesses:
                self._guess()

    def finish(self) -> Transcript:
        """The whole transcript, once the last utterance is transcribed."""
        with self._lock:
            if self._resample is not None:
                self._add(self._resample(None))
            self._send(final=True)
        transcripts = [(utterance, piece.result()) for utterance, piece in self._pieces]
        self._worker.shutdown()
        return _joined(transcripts, self.seconds, self._correct)

    def _add(self, samples: np.ndarray) -> None:
        if samples.size:
            self._audio.append(samples)
            self._size += samples.size
            self._speech.feed(samples)

    def _send(self, final: bool) -> None:
        closed = utterances(self._speech.values, final)
        if len(closed) <= self._sent:
            return
        audio = self._whole()
        for utterance in closed[self._sent :]:
            if self._guess_made and self._guess_made[0] == utterance:
                self._pieces.append(self._guess_made)  # already with the recogniser, or done
                self._guess_made = None
            else:
                self._pieces.append((utterance, self._transcribe(audio, utterance)))
        self._sent = len(closed)
        if self._guess_made:  # the candidate went on after the breath: the guess is stale
            self._guess_made[1].cancel()
            self._guess_made = None

    def _transcribe(self, audio: np.ndarray, utterance: Utterance) -> Future[Transcript]:
        start, end = utterance.samples(audio.size)
        return self._worker.submit(self._transcriber.transcribe, audio[start:end].copy(), RATE)

    def _guess(self) -> None:
        """At each breath inside an utterance, transcribe the utterance so far, queued behind any
        utterance the recogniser is on: if the candidate stops there, its transcript is ready or
        nearly, and the wait after they stop no longer includes a whole utterance. A newer breath
        replaces a guess still waiting in the queue."""
        final = utterances(self._speech.values, final=True)
        if len(final) == self._sent:
            return  # nothing open
        spoken = final[-1]
        if len(self._speech.values) - spoken.end < windows(BREATH_SECONDS):
            return  # still talking
        if self._guess_made:
            if self._guess_made[0] == spoken:
                return
            self._guess_made[1].cancel()  # an older guess: dropped if still queued
        self._guess_made = (spoken, self._transcribe(self._whole(), spoken))

    def _whole(self) -> np.ndarray:
        """The recording so far as one array (kept joined, so it is joined once per utterance)."""
        if len(self._audio) > 1:
            self._audio = [np.concatenate(self._audio)]
        return self._audio[0] if self._audio else np.zeros(0, np.float32)


def transcribe_recording(
    transcriber: Transcriber, audio: np.ndarray, rate: int, correct: Correct | None = None
) -> Transcript:
    """A whole recording, transcribed utterance by utterance as if it had been spoken live."""
    live = LiveTranscript(transcriber, correct, guess=False)
    live.feed(audio, rate)
    return live.finish()


def _joined(pieces: list[tuple[Utterance, Transcript]], seconds: float, correct: Correct) -> Transcript:
    words: list[Word] = []
    segments: list[Segment] = []
    model = None
    for utterance, transcript in pieces:
        offset = utterance.samples(round(seconds * RATE))[0] / RATE
        model = model or transcript.model
        words += [w.model_copy(update={"start": w.start + offset, "end": w.end + offset}) for w in transcript.words]
        if transcript.segments:
            segments += [
                s.model_copy(update={"text": correct(s.text), "start": s.start + offset, "end": s.end + offset})
                for s in transcript.segments
            ]
        elif transcript.text.strip():
            end = offset + (utterance.end - utterance.start) * WINDOW_SECONDS
            segments.append(Segment(text=correct(transcript.text.strip()), start=offset, end=end))
    text = " ".join(s.text for s in segments)
    return Transcript(text=text, words=words, segments=segments, language="en", duration_seconds=seconds, model=model)
