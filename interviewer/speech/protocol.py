"""The two speech boundaries, speech-to-text and text-to-speech, and the transcript they share.

Plain data and protocols only: no model, no network. The local backends (faster-whisper,
piper) and the OpenAI-compatible ones both satisfy these protocols, so the UI never knows
which it has.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field


class Word(BaseModel):
    """One recognised word and when it was said, in seconds from the start of the audio."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    word: str = Field(description="The word as recognised, with any attached punctuation.")
    start: float = Field(ge=0, description="Seconds from the start of the audio when the word begins.")
    end: float = Field(ge=0, description="Seconds from the start of the audio when the word ends.")
    probability: float | None = Field(default=None, description="The recogniser's confidence, when it gives one.")


class Segment(BaseModel):
    """A stretch of recognised speech, usually a phrase or sentence."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(description="What was said in this stretch.")
    start: float = Field(ge=0, description="Seconds from the start of the audio.")
    end: float = Field(ge=0, description="Seconds from the start of the audio.")


class Transcript(BaseModel):
    """What the candidate said. Timings are empty when the backend gives none."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(description="The whole transcript, punctuated as the recogniser wrote it.")
    words: list[Word] = Field(default_factory=list, description="Word timings, in order; empty when unavailable.")
    segments: list[Segment] = Field(
        default_factory=list, description="Segment timings, in order; empty when unavailable."
    )
    language: str | None = Field(default=None, description="Language code of the speech, e.g. 'en'.")
    duration_seconds: float | None = Field(default=None, ge=0, description="Length of the audio transcribed.")
    model: str | None = Field(default=None, description="Which recogniser produced this transcript.")


@runtime_checkable
class Transcriber(Protocol):
    """Speech-to-text."""

    def transcribe(self, audio: np.ndarray, sample_rate: int) -> Transcript:
        """Transcribe audio: int16/int32/uint8/float samples, mono `(n,)` or `(n, channels)`."""
        ...


@runtime_checkable
class TermsHeard(Protocol):
    """A transcriber that can be told the words it should expect (a question's jargon)."""

    def with_terms(self, terms: Sequence[str]) -> Transcriber:
        """A transcriber like this one that expects `terms` to be said."""
        ...


def expecting(transcriber: Transcriber, terms: Sequence[str]) -> Transcriber:
    """`transcriber` told to expect `terms`, when it can be."""
    return transcriber.with_terms(terms) if terms and isinstance(transcriber, TermsHeard) else transcriber


@runtime_checkable
class Synthesizer(Protocol):
    """Text-to-speech."""

    def synthesize(self, text: str) -> tuple[int, np.ndarray]:
        """`(sample_rate, mono int16 samples)` speaking `text`; empty samples for blank text."""
        ...
