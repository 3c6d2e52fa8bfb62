"""Which speech backends the app uses: the offline models unless INTERVIEWER_SPEECH=openai and a
server is configured. A failing server never costs the candidate a turn: its errors fall back
to the offline models, which load only if that happens."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

import numpy as np

from interviewer.llm.config import LLMSettings
from interviewer.llm.errors import LLMConfigError, LLMError
from interviewer.speech.piper_tts import PiperSynthesizer
from interviewer.speech.protocol import Synthesizer, Transcriber, Transcript
from interviewer.speech.whisper_stt import WhisperTranscriber

SPEECH_ENV = "INTERVIEWER_SPEECH"
SPEECH_MODES = ("local", "openai")

_LOGGER = logging.getLogger(__name__)


def speech_mode(environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    raw = env.get(SPEECH_ENV, "").strip()
    mode = raw.lower() or "local"
    if mode not in SPEECH_MODES:
        raise LLMConfigError(
            f"{SPEECH_ENV}={raw!r} is not a speech mode: use 'local' (offline models, the default) or 'openai' "
            "(the configured server's /audio endpoints)."
        )
    return mode


def speech_backends(
    settings: LLMSettings, environ: Mapping[str, str] | None = None, *, fallback: bool = True
) -> tuple[Transcriber, Synthesizer]:
    """`(transcriber, synthesizer)` for these settings. Nothing is loaded or contacted here:
    the offline models load at first use (call `.load()` on them to warm up at start)."""
    offline = WhisperTranscriber(environ=environ), PiperSynthesizer(environ=environ)
    if speech_mode(environ) == "local":
        return offline
    if not settings.is_configured:
        _LOGGER.warning(
            "%s=openai but no server is configured (OPENAI_BASE_URL/OPENAI_API_KEY): speech stays offline.", SPEECH_ENV
        )
        return offline
    from interviewer.openai_api.audio import OpenAISynthesizer, OpenAITranscriber

    remote = OpenAITranscriber(settings, environ=environ), OpenAISynthesizer(settings, environ=environ)
    if not fallback:
        return remote
    return FallbackTranscriber(remote[0], offline[0]), FallbackSynthesizer(remote[1], offline[1])


class FallbackTranscriber:
    """Transcribes with `primary`; on an LLMError (server down, bad key...) with `fallback`.
    The last error is kept in `last_error` so the UI can say why speech went local."""

    def __init__(self, primary: Transcriber, fallback: Transcriber) -> None:
        self.primary, self.fallback = primary, fallback
        self.last_error: LLMError | None = None

    def transcribe(self, audio: np.ndarray, sample_rate: int) -> Transcript:
        try:
            return self.primary.transcribe(audio, sample_rate)
        except LLMError as error:
            self.last_error = error
            _LOGGER.warning("Speech-to-text server failed, using the offline model: %s", error)
            return self.fallback.transcribe(audio, sample_rate)


class FallbackSynthesizer:
    """Synthesizes with `primary`; on an LLMError with `fallback` (see FallbackTranscriber)."""

    def __init__(self, primary: Synthesizer, fallback: Synthesizer) -> None:
        self.primary, self.fallback = primary, fallback
        self.last_error: LLMError | None = None

    def synthesize(self, text: str) -> tuple[int, np.ndarray]:
        try:
            return self.primary.synthesize(text)
        except LLMError as error:
            self.last_error = error
            _LOGGER.warning("Text-to-speech server failed, using the offline voice: %s", error)
            return self.fallback.synthesize(text)
