"""Speech through an OpenAI-compatible server: POST /audio/transcriptions and /audio/speech.

Plain httpx, not the `openai` SDK: only interviewer/llm/openai_client.py imports it, and two
multipart/JSON requests need nothing from it. The server, key, timeout and retries are the
LLM settings (OPENAI_BASE_URL, OPENAI_API_KEY, ...); the models are INTERVIEWER_STT_MODEL
(default whisper-1) and INTERVIEWER_TTS_MODEL (default tts-1), the voice INTERVIEWER_TTS_VOICE
(default alloy). Failures raise the project's LLMError types, so callers handle one family.

Transcription asks for `verbose_json` with word and segment timings; servers and models that
refuse it (gpt-4o-transcribe accepts only json/text) are asked again for plain `json`, once per
transcriber.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import numpy as np

from interviewer.llm.config import LLMSettings, require_server
from interviewer.llm.errors import (
    AuthenticationFailed,
    BadRequest,
    LLMError,
    RateLimited,
    RequestTimedOut,
    ServerError,
    ServerUnreachable,
    SpeechEndpointNotFound,
    SpeechModelNotFound,
)
from interviewer.speech.audio import AudioFormatError, duration_seconds, read_wav, wav_bytes
from interviewer.speech.protocol import Segment, Transcript, Word
from interviewer.speech.speakable import speakable

STT_MODEL_ENV = "INTERVIEWER_STT_MODEL"
TTS_MODEL_ENV = "INTERVIEWER_TTS_MODEL"
TTS_VOICE_ENV = "INTERVIEWER_TTS_VOICE"
DEFAULT_STT_MODEL = "whisper-1"
DEFAULT_TTS_MODEL = "tts-1"
DEFAULT_TTS_VOICE = "alloy"
# OpenAI's limit on the text of one /audio/speech request; longer replies go in several.
MAX_SPEECH_CHARS = 4096
MAX_RETRY_AFTER = 30.0

_MODEL_MISSING = re.compile(
    r"model\b.*\b(not found|does not exist|is not available|not loaded)|unknown model|no such model|model_not_found"
)
_FORMAT_REJECTED = re.compile(r"response_format|verbose_json|timestamp_granularities")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class _SpeechClient:
    """What both endpoints share: headers, the retry loop and the mapping of failures to LLMErrors."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        http_client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        require_server(settings, "No server is configured for speech", "Without one, speech runs on the offline models.")
        self._settings = settings
        self._base = settings.effective_base_url
        self._owns_client = http_client is None
        self._http = http_client or httpx.Client(timeout=settings.timeout_seconds)
        self._sleep = sleep

    def close(self) -> None:
        if self._owns_client:
            self._http.close()

    def _headers(self) -> dict[str, str]:
        key = self._settings.api_key
        return {"Authorization": f"Bearer {key.get_secret_value()}"} if key else {}

    def _post(self, endpoint: str, model_variable: str, model: str, **request: Any) -> httpx.Response:
        url = f"{self._base}{endpoint}"
        attempts = 0
        while True:
            attempts += 1
            try:
                response = self._http.post(
                    url, headers=self._headers(), timeout=self._settings.timeout_seconds, **request
                )
            except httpx.TimeoutException as error:
                failure: LLMError = RequestTimedOut(self._base, self._settings.timeout_seconds, attempts)
                wait = self._wait(attempts, None)
                cause: Exception = error
            except httpx.TransportError as error:
                failure = ServerUnreachable(self._base, str(error) or type(error).__name__)
                wait = self._wait(attempts, None)
                cause = error
            else:
                if response.is_success:
                    return response
                status = response.status_code
                retryable = status in (408, 409, 429) or status >= 500
                retry_after = _retry_after(response)
                wait = self._wait(attempts, retry_after) if retryable else None
                failure = self._translate(response, endpoint, model_variable, model, attempts)
                cause = httpx.HTTPStatusError(f"HTTP {status}", request=response.request, response=response)
            if wait is None:
                raise failure from cause
            self._sleep(wait)

    def _wait(self, attempts: int, retry_after: float | None) -> float | None:
        if attempts > self._settings.max_retries:
            return None
        if retry_after is not None:
            return retry_after if retry_after <= MAX_RETRY_AFTER else None
        # Exponential backoff with jitter, as the chat client does.
        return min(0.5 * 2.0 ** (attempts - 1), 8.0) * (1 - 0.25 * random.random())

    def _translate(
        self, response: httpx.Response, endpoint: str, model_variable: str, model: str, attempts: int
    ) -> LLMError:
        status, detail = response.status_code, _error_detail(response)
        if status in (401, 403):
            return AuthenticationFailed(self._base, status, detail)
        if status == 429:
            return RateLimited(self._base, attempts, detail, _retry_after(response))
        if status in (400, 404) and _MODEL_MISSING.search(detail.lower()):
            return SpeechModelNotFound(model, self._base, model_variable, detail)
        if status in (404, 405):
            return SpeechEndpointNotFound(self._base, endpoint, detail)
        if status >= 500:
            return ServerError(self._base, status, attempts, detail)
        return BadRequest(self._base, status, detail)


class OpenAITranscriber(_SpeechClient):
    """A `Transcriber` posting WAV audio to `{base_url}/audio/transcriptions`."""

    name = "openai"

    def __init__(
        self,
        settings: LLMSettings,
        *,
        model: str | None = None,
        language: str | None = "en",
        http_client: httpx.Client | None = None,
        environ: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(settings, http_client=http_client, sleep=sleep)
        env = os.environ if environ is None else environ
        self.model = model or env.get(STT_MODEL_ENV, "").strip() or DEFAULT_STT_MODEL
        self.language = language
        self._timings = True  # until the server refuses verbose_json

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
        data: dict[str, Any] = {"model": self.model, "response_format": "verbose_json" if timings else "json"}
        if self.language:
            data["language"] = self.language
        if timings:
            data["timestamp_granularities[]"] = ["word", "segment"]
        response = self._post(
            "/audio/transcriptions",
            STT_MODEL_ENV,
            self.model,
            data=data,
            files={"file": ("answer.wav", upload, "audio/wav")},
        )
        return self._parse(response, duration)

    def _parse(self, response: httpx.Response, duration: float) -> Transcript:
        try:
            body = response.json()
        except ValueError:
            # Some servers answer plain text whatever was asked.
            return Transcript(
                text=response.text.strip(), language=self.language, duration_seconds=duration, model=self.model
            )
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            raise LLMError(
                f"The server at {self._base} answered /audio/transcriptions without a transcript text: "
                f"{json.dumps(body)[:200]}. Check that it implements OpenAI's transcription API."
            )
        words = [
            Word(word=str(w["word"]).strip(), start=max(0.0, float(w["start"])), end=max(0.0, float(w["end"])))
            for w in body.get("words") or ()
            if isinstance(w, dict) and str(w.get("word", "")).strip() and "start" in w and "end" in w
        ]
        segments = [
            Segment(text=str(s["text"]).strip(), start=max(0.0, float(s["start"])), end=max(0.0, float(s["end"])))
            for s in body.get("segments") or ()
            if isinstance(s, dict) and str(s.get("text", "")).strip() and "start" in s and "end" in s
        ]
        language = body.get("language")
        return Transcript(
            text=body["text"].strip(),
            words=words,
            segments=segments,
            language=_language_code(language) if isinstance(language, str) else self.language,
            duration_seconds=duration,
            model=self.model,
        )


class OpenAISynthesizer(_SpeechClient):
    """A `Synthesizer` asking `{base_url}/audio/speech` for WAV audio."""

    name = "openai"

    def __init__(
        self,
        settings: LLMSettings,
        *,
        model: str | None = None,
        voice: str | None = None,
        http_client: httpx.Client | None = None,
        environ: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(settings, http_client=http_client, sleep=sleep)
        env = os.environ if environ is None else environ
        self.model = model or env.get(TTS_MODEL_ENV, "").strip() or DEFAULT_TTS_MODEL
        self.voice = voice or env.get(TTS_VOICE_ENV, "").strip() or DEFAULT_TTS_VOICE

    def synthesize(self, text: str) -> tuple[int, np.ndarray]:
        pieces: list[np.ndarray] = []
        rate = 24_000  # OpenAI's rate; only reported for blank text
        for part in split_for_speech(speakable(text)):
            response = self._post(
                "/audio/speech",
                TTS_MODEL_ENV,
                self.model,
                json={"model": self.model, "input": part, "voice": self.voice, "response_format": "wav"},
            )
            try:
                part_rate, samples = read_wav(response.content)
            except AudioFormatError as error:
                raise LLMError(
                    f"The server at {self._base} answered /audio/speech with audio that is not WAV ({error}). "
                    "It may ignore response_format; use a server that can return WAV, or the offline voice."
                ) from error
            if pieces and part_rate != rate:
                raise LLMError(f"The server at {self._base} changed sample rate mid-reply ({rate} -> {part_rate} Hz).")
            rate = part_rate
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


def _error_detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict):
            message = error.get("message") or error.get("code")
            if isinstance(message, str):
                return message
        if isinstance(error, str):
            return error
        message = body.get("message") or body.get("detail")
        if isinstance(message, str):
            return message
    return json.dumps(body)[:300]


def _retry_after(response: httpx.Response) -> float | None:
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = response.headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            continue
    return None


# verbose_json names the language ("english"); the rest of the app uses codes.
_LANGUAGE_CODES = {"english": "en"}


def _language_code(language: str) -> str:
    return _LANGUAGE_CODES.get(language.lower(), language.lower())
