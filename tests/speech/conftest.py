"""Speech tests run with no speech settings from the shell, as the LLM ones run with no LLM settings."""

from __future__ import annotations

import pytest

from interviewer.speech.model_files import PIPER_VOICE_ENV, WHISPER_MODEL_ENV
from interviewer.openai_api.audio import STT_MODEL_ENV, TTS_MODEL_ENV, TTS_VOICE_ENV
from interviewer.speech.select import SPEECH_ENV

SPEECH_ENV_VARS = (SPEECH_ENV, STT_MODEL_ENV, TTS_MODEL_ENV, TTS_VOICE_ENV, WHISPER_MODEL_ENV, PIPER_VOICE_ENV)


@pytest.fixture(autouse=True)
def _no_speech_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SPEECH_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
