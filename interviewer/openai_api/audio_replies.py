"""Reading the replies of /audio/transcriptions and /audio/speech into the speech types.

A transcription arrives as verbose JSON (with timings), plain JSON, or, from some servers
whatever was asked, plain text; audio arrives as WAV. Anything else, such as a web page, JSON
without a transcript, or JSON where audio was expected, is an `UnreadableReply`.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

import numpy as np
from pydantic import ConfigDict, Field, ValidationError

from interviewer.llm.errors import UnplayableAudio, UnreadableReply
from interviewer.openai_api.policy import HttpPolicy
from interviewer.openai_api.replies import (
    HttpReply,
    ServerData,
    content_type,
    is_json_type,
    parse_json,
    reject_web_page,
    reply_text,
    validated,
)
from interviewer.speech.audio import AudioFormatError, read_wav
from interviewer.speech.protocol import Segment, Transcript, Word

# verbose_json names the language ("english"); the rest of the app uses codes.
_LANGUAGE_CODES = {"english": "en"}


class _Heard(ServerData):
    # Recognisers pad their text with spaces ("  I would"); the app wants none.
    model_config = ConfigDict(str_strip_whitespace=True)


class _Timed(_Heard):
    start: float = Field(description="Seconds from the start of the audio.")
    end: float = Field(description="Seconds from the start of the audio.")


class _TimedWord(_Timed):
    word: str = Field(min_length=1, description="The word, with its punctuation.")


class _TimedSegment(_Timed):
    text: str = Field(min_length=1, description="What was said in the segment.")


T = TypeVar("T", bound=_Timed)


class _Transcription(_Heard):
    """A transcription reply, verbose or not; timings are read item by item, so one odd item costs only itself."""

    text: str = Field(description="The transcript.")
    words: list[Any] | None = Field(default=None, description="Word timings (verbose_json).")
    segments: list[Any] | None = Field(default=None, description="Segment timings (verbose_json).")
    language: str | None = Field(default=None, description="The language, by name in verbose_json.")


def transcript_from(
    reply: HttpReply, policy: HttpPolicy, *, model: str, language: str | None, duration: float
) -> Transcript:
    """The transcript in a reply of /audio/transcriptions."""
    text = reply_text(reply, policy)
    body = _json_body(text, content_type(reply), policy)
    if body is None:
        # Some servers answer plain text whatever was asked.
        return Transcript(text=text.strip(), language=language, duration_seconds=duration, model=model)
    heard = validated(_Transcription, body, policy, "the transcription")
    return Transcript(
        text=heard.text,
        words=[Word(word=w.word, start=_at(w.start), end=_at(w.end)) for w in _timed(_TimedWord, heard.words)],
        segments=[
            Segment(text=s.text, start=_at(s.start), end=_at(s.end)) for s in _timed(_TimedSegment, heard.segments)
        ],
        language=_language_code(heard.language) if heard.language else language,
        duration_seconds=duration,
        model=model,
    )


def speech_samples(reply: HttpReply, policy: HttpPolicy, expected_rate: int | None) -> tuple[int, np.ndarray]:
    """`(sample_rate, samples)` of the WAV in a reply of /audio/speech; `expected_rate` is the rate
    of the earlier parts of the same reply, which this part must share."""
    reject_web_page(reply, reply.content[:200], policy)
    kind = content_type(reply)
    if kind.startswith("text/") or is_json_type(kind):
        raise UnreadableReply(policy.base_url, f"it answered /audio/speech with {kind}, not audio")
    try:
        rate, samples = read_wav(reply.content)
    except AudioFormatError as error:
        raise UnplayableAudio(policy.base_url, str(error)) from None
    if expected_rate is not None and rate != expected_rate:
        raise UnplayableAudio(policy.base_url, f"the sample rate changed mid-reply ({expected_rate} -> {rate} Hz)")
    return rate, samples


def _json_body(text: str, kind: str, policy: HttpPolicy) -> Any:
    """The JSON of a reply, or None for plain text. A reply labelled JSON must be JSON; an
    unlabelled one counts as JSON only when it holds an object, as a transcript may be "42"."""
    if is_json_type(kind):
        return parse_json(text, policy, "the body")
    try:
        body = json.loads(text)
    except json.JSONDecodeError:
        return None
    return body if isinstance(body, dict) else None


def _timed(model: type[T], items: list[Any] | None) -> list[T]:
    """The items that are valid timings; a blank or malformed one is left out, not fatal."""
    timed = []
    for item in items or ():
        try:
            timed.append(model.model_validate(item))
        except ValidationError:
            continue
    return timed


def _at(seconds: float) -> float:
    return max(0.0, seconds)


def _language_code(language: str) -> str:
    return _LANGUAGE_CODES.get(language.lower(), language.lower())
