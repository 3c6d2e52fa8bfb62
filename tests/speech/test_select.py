"""Choosing the speech backends, and falling back to the offline ones when the server fails."""

from __future__ import annotations

import numpy as np
import pytest

from interviewer.llm.config import LLMSettings
from interviewer.llm.errors import LLMConfigError, ServerUnreachable
from interviewer.speech.model_files import SpeechModelError
from interviewer.openai_api.audio import OpenAISynthesizer, OpenAITranscriber
from interviewer.speech.piper_tts import PiperSynthesizer
from interviewer.speech.protocol import Transcript
from interviewer.speech.select import FallbackSynthesizer, FallbackTranscriber, speech_backends
from interviewer.speech.whisper_stt import WhisperTranscriber

SERVER = LLMSettings(base_url="http://speech.test/v1")


def test_offline_by_default_even_with_a_server() -> None:
    for settings in (LLMSettings(), SERVER):
        transcriber, synthesizer = speech_backends(settings, {})
        assert isinstance(transcriber, WhisperTranscriber)
        assert isinstance(synthesizer, PiperSynthesizer)


@pytest.mark.allow_llm_client
def test_the_server_when_asked_for_and_configured() -> None:
    transcriber, synthesizer = speech_backends(SERVER, {"INTERVIEWER_SPEECH": "OpenAI"})
    assert isinstance(transcriber, FallbackTranscriber) and isinstance(synthesizer, FallbackSynthesizer)
    assert isinstance(transcriber.primary, OpenAITranscriber) and isinstance(transcriber.fallback, WhisperTranscriber)
    assert isinstance(synthesizer.primary, OpenAISynthesizer) and isinstance(synthesizer.fallback, PiperSynthesizer)
    bare, _ = speech_backends(
        SERVER, {"INTERVIEWER_SPEECH": "openai", "INTERVIEWER_STT_MODEL": "whisper-large"}, fallback=False
    )
    assert isinstance(bare, OpenAITranscriber) and bare.model == "whisper-large"


def test_asking_for_the_server_without_one_stays_offline(caplog: pytest.LogCaptureFixture) -> None:
    for settings in (LLMSettings(), SERVER.model_copy(update={"offline": True})):
        transcriber, _ = speech_backends(settings, {"INTERVIEWER_SPEECH": "openai"})
        assert isinstance(transcriber, WhisperTranscriber)
    assert "no server is configured" in caplog.text


def test_an_unknown_mode_is_a_config_error() -> None:
    with pytest.raises(LLMConfigError, match="INTERVIEWER_SPEECH='cloud' is not a speech mode: use 'local'"):
        speech_backends(LLMSettings(), {"INTERVIEWER_SPEECH": "cloud"})


class Failing:
    def transcribe(self, audio: np.ndarray, sample_rate: int) -> Transcript:
        raise ServerUnreachable("http://speech.test/v1", "Connection refused")

    def synthesize(self, text: str) -> tuple[int, np.ndarray]:
        raise ServerUnreachable("http://speech.test/v1", "Connection refused")


class Canned:
    def transcribe(self, audio: np.ndarray, sample_rate: int) -> Transcript:
        return Transcript(text="heard offline")

    def synthesize(self, text: str) -> tuple[int, np.ndarray]:
        return 16_000, np.ones(3, dtype=np.int16)


def test_a_failing_server_falls_back_and_says_why() -> None:
    transcriber = FallbackTranscriber(Failing(), Canned())
    assert transcriber.transcribe(np.zeros(10, dtype=np.int16), 16_000).text == "heard offline"
    assert isinstance(transcriber.last_error, ServerUnreachable)
    synthesizer = FallbackSynthesizer(Failing(), Canned())
    assert synthesizer.synthesize("Hello.")[1].tolist() == [1, 1, 1]
    assert "Connection refused" in str(synthesizer.last_error)


def test_the_offline_backends_load_nothing_until_used(tmp_path) -> None:
    missing = {
        "INTERVIEWER_WHISPER_MODEL": str(tmp_path / "none"),
        "INTERVIEWER_PIPER_VOICE": str(tmp_path / "none.onnx"),
    }
    transcriber, synthesizer = speech_backends(LLMSettings(), missing)  # building them touches no file
    with pytest.raises(SpeechModelError, match="INTERVIEWER_WHISPER_MODEL"):
        transcriber.transcribe(np.ones(1600, dtype=np.int16), 16_000)
    with pytest.raises(SpeechModelError, match="INTERVIEWER_PIPER_VOICE"):
        synthesizer.synthesize("Hello.")
