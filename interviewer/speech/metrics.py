"""Delivery metrics of a spoken answer, computed deterministically from its audio and transcript.

Definitions (all documented on the fields, so they reach the JSON a UI or export reads):

- Talk time: seconds of voiced audio, from an energy detector on 30 ms frames. A frame is
  voiced when its RMS level is above max(-45 dBFS, the 95th-percentile frame level - 30 dB):
  relative to the speaker, so loud and quiet microphones agree, with a floor so that silence
  never counts. Gaps under 0.3 s (stops, breaths inside a phrase) count as talk; voiced bursts
  under 90 ms (clicks) do not.
- Long pauses: silences longer than 2 s between the first and the last voiced frame (the
  silence before the first word is reported separately as the start delay). Without audio, the
  gaps between word timings give pauses and talk time instead.
- Words per minute and fillers per minute are over talk time, not over the recording, so a
  long think before answering does not lower the speaking rate. Because short gaps are talk
  but longer silences are not, this rate sits a little above a conventional speaking rate.
- Words: everything the recogniser wrote, fillers included; fillers: see `fillers.py`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from interviewer.speech.audio import to_mono_float32
from interviewer.speech.fillers import FILLER_TERMS, count_fillers, words
from interviewer.speech.protocol import Transcript

FRAME_SECONDS = 0.03
LONG_PAUSE_SECONDS = 2.0
BRIDGE_GAP_SECONDS = 0.3
MIN_VOICED_SECONDS = 0.09  # a click shorter than a frame can still light up two
FLOOR_DBFS = -45.0
DYNAMIC_RANGE_DB = 30.0

PauseSource = Literal["audio", "word_timings", "none", "mixed"]
_COMPUTED = ("words_per_minute", "fillers_per_minute", "long_pause_count", "longest_pause_seconds")


class Pause(BaseModel):
    """A silence longer than the long-pause threshold inside an answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    answer: int = Field(default=0, ge=0, description="Index of the answer within the session (0 for a single answer).")
    start_seconds: float = Field(ge=0, description="When the silence began, in seconds from the start of the answer.")
    end_seconds: float = Field(ge=0, description="When speech resumed, in seconds from the start of the answer.")

    @property
    def seconds(self) -> float:
        return self.end_seconds - self.start_seconds


class DeliveryMetrics(BaseModel):
    """How an answer (or a whole session) was delivered: pace, fillers, pauses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    answers: int = Field(default=1, ge=0, description="How many answers these figures cover.")
    duration_seconds: float = Field(ge=0, description="Length of the recordings, silence included.")
    talk_seconds: float = Field(ge=0, description="Seconds of voiced audio (gaps under 0.3 s count as talk).")
    start_delay_seconds: float = Field(
        default=0.0, ge=0, description="Silence before the first word, summed over answers."
    )
    word_count: int = Field(ge=0, description="Words in the transcript, fillers included.")
    filler_count: int = Field(ge=0, description="Filler words and phrases (see the fillers rule).")
    fillers: dict[str, int] = Field(default_factory=dict, description="Count per filler term, e.g. {'um': 3}.")
    long_pauses: list[Pause] = Field(default_factory=list, description="Silences over 2 s inside answers.")
    pause_source: PauseSource = Field(
        description="Where talk time and pauses came from: the audio, word timings, neither, or a mix across answers."
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_computed(cls, data: Any) -> Any:
        # model_dump() includes the computed rates; reading that JSON back must not fail on them.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in _COMPUTED}
        return data

    @computed_field(description="Words per minute of talk time; None without talk time.")  # type: ignore[prop-decorator]
    @property
    def words_per_minute(self) -> float | None:
        return _per_minute(self.word_count, self.talk_seconds)

    @computed_field(description="Filler words per minute of talk time; None without talk time.")  # type: ignore[prop-decorator]
    @property
    def fillers_per_minute(self) -> float | None:
        return _per_minute(self.filler_count, self.talk_seconds)

    @computed_field(description="Number of silences over 2 s.")  # type: ignore[prop-decorator]
    @property
    def long_pause_count(self) -> int:
        return len(self.long_pauses)

    @computed_field(description="The longest silence over 2 s, in seconds; 0 when there is none.")  # type: ignore[prop-decorator]
    @property
    def longest_pause_seconds(self) -> float:
        return round(max((p.seconds for p in self.long_pauses), default=0.0), 3)


def _per_minute(count: int, talk_seconds: float) -> float | None:
    return round(count * 60.0 / talk_seconds, 1) if talk_seconds > 0 else None


def frame_levels_db(audio: np.ndarray, sample_rate: int, frame_seconds: float = FRAME_SECONDS) -> np.ndarray:
    """RMS level of each frame in dBFS (a full-scale sine is -3 dBFS); the last partial frame is zero-padded."""
    samples = to_mono_float32(audio).astype(np.float64)
    size = max(1, round(sample_rate * frame_seconds))
    count = -(-samples.size // size)
    padded = np.zeros(count * size)
    padded[: samples.size] = samples
    rms = np.sqrt(np.mean(padded.reshape(count, size) ** 2, axis=1))
    return 20.0 * np.log10(np.maximum(rms, 1e-10))


def voiced_spans(
    audio: np.ndarray, sample_rate: int, frame_seconds: float = FRAME_SECONDS
) -> list[tuple[float, float]]:
    """(start, end) seconds of speech, by the energy rule in the module docstring."""
    levels = frame_levels_db(audio, sample_rate, frame_seconds)
    if levels.size == 0:
        return []
    threshold = max(FLOOR_DBFS, float(np.percentile(levels, 95)) - DYNAMIC_RANGE_DB)
    voiced = levels > threshold
    runs: list[list[int]] = []  # [first frame, end frame) of voiced runs
    for index in np.flatnonzero(voiced):
        if runs and index == runs[-1][1]:
            runs[-1][1] += 1
        else:
            runs.append([int(index), int(index) + 1])
    bridge = round(BRIDGE_GAP_SECONDS / frame_seconds)
    merged: list[list[int]] = []
    for run in runs:
        if merged and run[0] - merged[-1][1] < bridge:
            merged[-1][1] = run[1]
        else:
            merged.append(run)
    shortest = round(MIN_VOICED_SECONDS / frame_seconds)
    duration = to_mono_float32(audio).size / sample_rate
    return [
        (first * frame_seconds, min(end * frame_seconds, duration)) for first, end in merged if end - first >= shortest
    ]


def measure_delivery(
    transcript: Transcript | str,
    audio: np.ndarray | None = None,
    sample_rate: int | None = None,
) -> DeliveryMetrics:
    """Metrics of one answer. With audio, talk time and pauses come from the audio; without it,
    from the transcript's word timings; with neither, only the word and filler counts are known."""
    if isinstance(transcript, str):
        transcript = Transcript(text=transcript)
    text = transcript.text or " ".join(w.word for w in transcript.words)
    fillers = count_fillers(text)
    source: PauseSource
    if audio is not None:
        if not sample_rate:
            raise ValueError("measure_delivery needs the sample_rate of the audio")
        duration = to_mono_float32(audio).size / sample_rate
        spans = voiced_spans(audio, sample_rate)
        source = "audio"
    elif transcript.words:
        timed = [(w.start, w.end) for w in transcript.words]
        duration = transcript.duration_seconds or max(end for _, end in timed)
        spans = _bridge(timed)
        source = "word_timings"
    else:
        duration, spans, source = transcript.duration_seconds or 0.0, [], "none"
    return DeliveryMetrics(
        duration_seconds=round(duration, 3),
        talk_seconds=round(sum(end - start for start, end in spans), 3),
        # With no timing at all there is no delay to speak of; with timing but no speech, all of it is delay.
        start_delay_seconds=round(spans[0][0] if spans else (duration if source == "audio" else 0.0), 3),
        word_count=len(words(text)),
        filler_count=sum(fillers.values()),
        fillers=fillers,
        long_pauses=_long_gaps(spans),
        pause_source=source,
    )


def _bridge(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Word timings joined into talk spans, as short gaps between voiced frames are."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if merged and start - merged[-1][1] < BRIDGE_GAP_SECONDS:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _long_gaps(spans: Sequence[tuple[float, float]]) -> list[Pause]:
    return [
        Pause(start_seconds=round(left[1], 3), end_seconds=round(right[0], 3))
        for left, right in itertools.pairwise(spans)
        if right[0] - left[1] > LONG_PAUSE_SECONDS
    ]


def combine_delivery(answers: Iterable[DeliveryMetrics]) -> DeliveryMetrics:
    """Session totals: counts and seconds add up and rates are recomputed from the totals (not
    averaged), so a long answer weighs more than a one-liner. Pauses keep their answer index."""
    items = list(answers)
    fillers: dict[str, int] = {}
    pauses: list[Pause] = []
    offset = 0
    for item in items:
        for term, n in item.fillers.items():
            fillers[term] = fillers.get(term, 0) + n
        pauses.extend(p.model_copy(update={"answer": offset + p.answer}) for p in item.long_pauses)
        offset += item.answers
    sources = {item.pause_source for item in items}
    source: PauseSource = "none" if not sources else sources.pop() if len(sources) == 1 else "mixed"
    return DeliveryMetrics(
        answers=sum(item.answers for item in items),
        duration_seconds=round(sum(item.duration_seconds for item in items), 3),
        talk_seconds=round(sum(item.talk_seconds for item in items), 3),
        start_delay_seconds=round(sum(item.start_delay_seconds for item in items), 3),
        word_count=sum(item.word_count for item in items),
        filler_count=sum(item.filler_count for item in items),
        fillers={term: fillers[term] for term in sorted(fillers, key=_term_order)},
        long_pauses=pauses,
        pause_source=source,
    )


def _term_order(term: str) -> tuple[int, str]:
    return (FILLER_TERMS.index(term) if term in FILLER_TERMS else len(FILLER_TERMS), term)
