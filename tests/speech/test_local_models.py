"""The offline models themselves: piper speaks, Whisper hears what piper said, and the metrics
work on real speech. Each model loads once for the module (about 1.5 s each on 2 cores)."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest

from interviewer.speech.fillers import words
from interviewer.speech.metrics import measure_delivery
from interviewer.speech.model_files import WHISPER_SHA256, packaged_piper_voice, packaged_whisper_dir, sha256_of
from interviewer.speech.piper_tts import PiperSynthesizer
from interviewer.speech.protocol import Synthesizer, Transcriber
from interviewer.speech.whisper_stt import DISFLUENT_PROMPT, WhisperTranscriber, resample_for_whisper

SENTENCE = "I would train a gradient boosted model on past trips and measure the mean absolute error."


@pytest.fixture(scope="module")
def tts() -> PiperSynthesizer:
    synthesizer = PiperSynthesizer(variation=0)  # the same audio on every run
    synthesizer.load()
    return synthesizer


@pytest.fixture(scope="module")
def stt() -> WhisperTranscriber:
    transcriber = WhisperTranscriber()
    transcriber.load()
    return transcriber


@pytest.fixture(scope="module")
def spoken(tts: PiperSynthesizer) -> tuple[int, np.ndarray]:
    return tts.synthesize(SENTENCE)


def overlap(expected: str, heard: str) -> float:
    """Share of the expected words that were heard (as a multiset, ignoring case and punctuation)."""
    want, got = Counter(words(expected)), Counter(words(heard))
    return sum((want & got).values()) / sum(want.values())


def test_the_backends_satisfy_the_protocols(tts: PiperSynthesizer, stt: WhisperTranscriber) -> None:
    assert isinstance(tts, Synthesizer)
    assert isinstance(stt, Transcriber)


def test_the_packaged_models_are_the_checked_ones() -> None:
    folder = packaged_whisper_dir()
    assert sha256_of(folder / "model.bin") == WHISPER_SHA256["model.bin"]
    model, config = packaged_piper_voice()
    assert model.name == "en_US-joe-medium.onnx" and config.is_file()


def test_tts_speaks_a_sentence_as_audible_int16_of_plausible_length(spoken: tuple[int, np.ndarray]) -> None:
    rate, samples = spoken
    assert rate == 22_050
    assert samples.dtype == np.int16 and samples.ndim == 1
    seconds = samples.size / rate
    # 16 words at a conversational 120-220 words per minute.
    assert 16 * 60 / 220 <= seconds <= 16 * 60 / 120 + 1.0
    assert np.abs(samples).max() > 10_000  # piper normalises to near full scale
    assert measure_delivery(SENTENCE, samples, rate).talk_seconds > 0.7 * seconds


def test_tts_streams_sentence_by_sentence_and_speaks_nothing_for_blank_text(tts: PiperSynthesizer) -> None:
    chunks = list(tts.stream("First sentence. Second one!"))
    assert len(chunks) == 2
    assert {rate for rate, _ in chunks} == {22_050}
    _rate, samples = tts.synthesize("   ")
    assert samples.size == 0 and samples.dtype == np.int16


def test_stt_hears_what_tts_said(stt: WhisperTranscriber, spoken: tuple[int, np.ndarray]) -> None:
    rate, samples = spoken
    transcript = stt.transcribe(samples, rate)
    assert overlap(SENTENCE, transcript.text) >= 0.8, transcript.text
    assert transcript.language == "en"
    assert transcript.duration_seconds == pytest.approx(samples.size / rate)
    # Word timings are in order and inside the audio.
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts)
    assert len(transcript.words) >= 12
    assert all(0 <= w.start <= w.end <= samples.size / rate + 0.1 for w in transcript.words)


def test_stt_on_microphone_style_audio_48khz_stereo(stt: WhisperTranscriber, tts: PiperSynthesizer) -> None:
    rate, samples = tts.synthesize("Um, I would start with a simple baseline.")
    # What a browser microphone sends: 48 kHz, two channels, int16.
    upsampled = np.interp(np.arange(0, samples.size, rate / 48_000), np.arange(samples.size), samples)
    stereo = np.stack([upsampled, upsampled], axis=1).astype(np.int16)
    transcript = stt.transcribe(stereo, 48_000)
    assert overlap("I would start with a simple baseline", transcript.text) >= 0.8, transcript.text
    # The hesitation is written down, so the metrics can count it.
    assert re.match(r"u+h?m+\b", transcript.text.lower()), transcript.text


def test_piper_without_variation_says_a_text_the_same_way_every_time(tts: PiperSynthesizer) -> None:
    first, second = tts.synthesize("Gradient boosting."), tts.synthesize("Gradient boosting.")
    np.testing.assert_array_equal(first[1], second[1])
    takes = PiperSynthesizer()  # the voice's own variation: natural, and never twice the same
    assert not np.array_equal(takes.synthesize("Gradient boosting.")[1], takes.synthesize("Gradient boosting.")[1])


def test_silence_transcribes_to_nothing(stt: WhisperTranscriber) -> None:
    # Whisper invents "Thank you." on silence; the VAD filter stops that.
    assert stt.transcribe(np.zeros(3 * 16_000, dtype=np.int16), 16_000).text == ""
    assert stt.transcribe(np.zeros(0, dtype=np.float32), 16_000).text == ""


def test_long_pause_in_real_speech(stt: WhisperTranscriber, tts: PiperSynthesizer) -> None:
    rate, first = tts.synthesize("The label is whether the rider cancels.")
    _, second = tts.synthesize("Then I would pick the features.")
    audio = np.concatenate([first, np.zeros(int(2.5 * rate), dtype=np.int16), second])
    transcript = stt.transcribe(audio, rate)
    from_audio = measure_delivery(transcript, audio, rate)
    from_words = measure_delivery(transcript)
    assert from_audio.long_pause_count == 1
    assert 2.4 <= from_audio.longest_pause_seconds <= 3.4  # piper ends sentences with a little silence
    # Whisper stretches the words next to a silence into it, so its gaps run a little short.
    assert from_words.long_pause_count == 1
    assert 2.0 < from_words.longest_pause_seconds <= 3.4
    pause = from_audio.long_pauses[0]
    assert pause.start_seconds == pytest.approx(first.size / rate, abs=0.5)
    assert from_audio.words_per_minute is not None
    assert 100 <= from_audio.words_per_minute <= 260


def test_resampling_keeps_the_pitch() -> None:
    rate = 44_100
    t = np.arange(rate) / rate
    resampled = resample_for_whisper(np.sin(2 * np.pi * 440 * t).astype(np.float32), rate)
    assert resampled.size == pytest.approx(16_000, abs=32)
    spectrum = np.abs(np.fft.rfft(resampled[:16_000]))
    assert np.argmax(spectrum) == pytest.approx(440, abs=2)  # 1 Hz bins over one second


def test_told_the_questions_terms_whisper_writes_them_as_written(stt: WhisperTranscriber, tts: PiperSynthesizer) -> None:
    rate, samples = tts.synthesize("For store level demand, Prophet is quick to set up, but areema often does better.")
    expecting = stt.with_terms(["ARIMA", "MAPE", "Prophet", "RMSE"])
    heard = expecting.transcribe(samples, rate).text
    assert "Prophet" in heard and "ARIMA" in heard, heard
    assert expecting.prompt and expecting.prompt.endswith(DISFLUENT_PROMPT)  # the "um"s still shown last
    assert stt.prompt == DISFLUENT_PROMPT  # the shared transcriber is left as it was
