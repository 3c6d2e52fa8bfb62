"""Speech through an OpenAI-compatible server: the SDK's /audio/transcriptions and /audio/speech.

The server, key, timeout and retries are the LLM settings (OPENAI_BASE_URL, OPENAI_API_KEY, ...),
and requests go through the same `HttpPolicy` as chat, so failures raise the project's LLMError
types. The models are INTERVIEWER_STT_MODEL (default whisper-1) and INTERVIEWER_TTS_MODEL
(default tts-1), the voice INTERVIEWER_TTS_VOICE (default alloy).

Transcription asks for `verbose_json` with word and segment timings; servers and models that
refuse it (gpt-4o-transcribe accepts only json/text) are asked again for plain `json`, once per
transcriber. Replies are read with `audio_replies`, strictly.
"""

from __future__ import annotations

import copy
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

import numpy as np

from interviewer.llm.config import LLMSettings, require_server
from interviewer.llm.errors import BadRequest
from interviewer.openai_api.audio_replies import speech_samples, transcript_from
from interviewer.openai_api.policy import Endpoint, HttpPolicy, RetryPolicy
from interviewer.openai_api.sdk import sdk_client
from interviewer.speech.audio import duration_seconds, wav_bytes
from interviewer.speech.protocol import Transcript
from interviewer.speech.speakable import speakable

if TYPE_CHECKING:
    import httpx

STT_MODEL_ENV = "INTERVIEWER_STT_MODEL"
TTS_MODEL_ENV = "INTERVIEWER_TTS_MODEL"
TTS_VOICE_ENV = "INTERVIEWER_TTS_VOICE"
DEFAULT_STT_MODEL = "whisper-1"
DEFAULT_TTS_MODEL = "tts-1"
DEFAULT_TTS_VOICE = "alloy"
# OpenAI's limit on the text of one /audio/speech request; longer replies go in several.
MAX_SPEECH_CHARS = 4096

_FORMAT_REJECTED = re.compile(r"response_format|verbose_json|timestamp_granularities")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class Connection(TypedDict, total=False):
    """How a speech backend reaches its server; tests inject every part."""

    http_client: httpx.Client | None  # respx intercepts httpx, not the SDK's default httpx2
    environ: Mapping[str, str] | None  # where the model and voice variables are read; os.environ by default
    retry: RetryPolicy | None
    sleep: Callable[[float], None]


class _AudioClient:
    """What both speech backends share: the server guard, the SDK client, the HTTP policy and
    the environment their model and voice are read from."""

    name = "openai"

    def __init__(self, settings: LLMSettings, connection: Connection) -> None:
        require_server(
            settings, "No server is configured for speech", "Without one, speech runs on the offline models."
        )
        self._policy = HttpPolicy(settings, retry=connection.get("retry"), sleep=connection.get("sleep", time.sleep))
        self._sdk = sdk_client(settings, connection.get("http_client"))
        environ = connection.get("environ")
        self._environ = os.environ if environ is None else environ

    def _chosen(self, given: str | None, variable: str, default: str) -> str:
        """An explicit value, else the environment variable's, else the default."""
        return given or self._environ.get(variable, "").strip() or default

    def close(self) -> None:
        self._sdk.close()


class OpenAITranscriber(_AudioClient):
    """A `Transcriber` sending WAV audio to the server's /audio/transcriptions."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        model: str | None = None,
        language: str | None = "en",
        **connection: Unpack[Connection],
    ) -> None:
        super().__init__(settings, connection)
        self.model = self._chosen(model, STT_MODEL_ENV, DEFAULT_STT_MODEL)
        self.language = language
        self._endpoint = Endpoint(path="/audio/transcriptions", model=self.model, model_variable=STT_MODEL_ENV)
        self._timings = True  # until the server refuses verbose_json
        self.prompt: str | None = None

    def with_terms(self, terms: Sequence[str]) -> OpenAITranscriber:
        """This transcriber, sending `terms` as the prompt that shows the server's model how they are written."""
        expecting = copy.copy(self)
        expecting.prompt = ", ".join(terms) + "."
        return expecting

    def transcribe(self, audio: np.ndarray, sample_rate: int) -> Transcript:
        duration = duration_seconds(audio, sample_rate)
        if duration == 0:
            return Transcript(text="", language=self.language, duration_seconds=0.0, model=self.model)
        upload = wav_bytes(audio, sample_rate)
        if self._timings:
            try:
                return self._request(upload, duration, timings=True)
            except BadRequest as error:
                if error.status not in (400, 422) or not _FORMAT_REJECTED.search(error.message.lower()):
                    raise
                self._timings = False
        return self._request(upload, duration, timings=False)

    def _request(self, upload: bytes, duration: float, *, timings: bool) -> Transcript:
        options: dict[str, Any] = {"response_format": "verbose_json" if timings else "json"}
        if self.language:
            options["language"] = self.language
        if self.prompt:
            options["prompt"] = self.prompt
        if timings:
            options["timestamp_granularities"] = ["word", "segment"]
        # The raw response, so that audio_replies checks the body before anything trusts it.
        raw = self._policy.send(
            lambda: self._sdk.audio.transcriptions.with_raw_response.create(
                file=("answer.wav", upload, "audio/wav"), model=self.model, **options
            ),
            self._endpoint,
        )
        return transcript_from(
            raw.http_response, self._policy, model=self.model, language=self.language, duration=duration
        )


class OpenAISynthesizer(_AudioClient):
    """A `Synthesizer` asking the server's /audio/speech for WAV audio."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        model: str | None = None,
        voice: str | None = None,
        **connection: Unpack[Connection],
    ) -> None:
        super().__init__(settings, connection)
        self.model = self._chosen(model, TTS_MODEL_ENV, DEFAULT_TTS_MODEL)
        self.voice = self._chosen(voice, TTS_VOICE_ENV, DEFAULT_TTS_VOICE)
        self._endpoint = Endpoint(path="/audio/speech", model=self.model, model_variable=TTS_MODEL_ENV)

    def synthesize(self, text: str) -> tuple[int, np.ndarray]:
        pieces: list[np.ndarray] = []
        rate = 24_000  # OpenAI's rate; only reported for blank text
        # A neural voice reads acronyms as written; espeak's letter spellings would only trip it.
        for number, part in enumerate(split_for_speech(speakable(text, for_espeak=False))):
            raw = self._policy.send(
                lambda part=part: self._sdk.audio.speech.with_raw_response.create(
                    model=self.model, input=part, voice=self.voice, response_format="wav"
                ),
                self._endpoint,
            )
            rate, samples = speech_samples(raw.http_response, self._policy, rate if number else None)
            pieces.append(samples)
        return rate, np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int16)


def split_for_speech(text: str, limit: int = MAX_SPEECH_CHARS) -> list[str]:
    """Sentences packed into requests of at most `limit` characters; an overlong sentence is cut at spaces."""
    parts: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text.strip()):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            parts.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > limit:
            parts.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        parts.append(current)
    return [p for p in parts if p]
