"""`interviewer transcribe FILE`: what the app hears in a recording, from the browser's format too."""

from __future__ import annotations

import json
import subprocess
import sys
import wave
from pathlib import Path
from types import SimpleNamespace

import av
import numpy as np
import pytest

from interviewer.speech.piper_tts import PiperSynthesizer
from interviewer.speech.whisper_stt import DISFLUENT_PROMPT, _echoes, _to_transcript

SAID = "We trained light G B M and looked at the rock A-U-C. Then I'd split by time."


def interviewer(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "interviewer.cli", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def spoken() -> tuple[int, np.ndarray]:
    return PiperSynthesizer(variation=0).synthesize(SAID)


def write_wav(path: Path, rate: int, samples: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def write_webm(path: Path, rate: int, samples: np.ndarray) -> Path:
    """Opus in WebM at 48 kHz, as Chromium's MediaRecorder makes it."""
    with av.open(str(path), "w", format="webm") as out:
        stream = out.add_stream("libopus", rate=48_000, layout="mono")
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        for resampled in av.AudioResampler(format="s16", layout="mono", rate=48_000).resample(frame):
            out.mux(stream.encode(resampled))
        out.mux(stream.encode(None))
    return path


def test_a_wav_is_transcribed_with_its_ml_terms_put_back(tmp_path, spoken):
    run = interviewer("transcribe", str(write_wav(tmp_path / "answer.wav", *spoken)))
    assert run.returncode == 0, run.stderr
    assert "LightGBM" in run.stdout and "ROC AUC" in run.stdout and "split by time" in run.stdout


def test_the_browser_s_webm_gives_timed_segments_as_json(tmp_path, spoken):
    run = interviewer("transcribe", str(write_webm(tmp_path / "answer.webm", *spoken)), "--json")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert "split by time" in result["text"]
    assert result["duration_seconds"] == pytest.approx(spoken[1].size / spoken[0], abs=0.1)
    ends = [s["end"] for s in result["segments"]]
    assert result["segments"] and ends == sorted(ends) and ends[-1] <= result["duration_seconds"]


def test_a_missing_or_unreadable_file_is_explained(tmp_path):
    missing = interviewer("transcribe", str(tmp_path / "nope.wav"))
    assert missing.returncode == 1 and "no such file" in missing.stderr and "WAV" in missing.stderr
    (tmp_path / "notes.webm").write_text("not audio")
    unreadable = interviewer("transcribe", str(tmp_path / "notes.webm"))
    assert unreadable.returncode == 1 and "cannot read it as audio" in unreadable.stderr


def test_an_unknown_question_is_refused(tmp_path, spoken):
    run = interviewer("transcribe", str(write_wav(tmp_path / "a.wav", *spoken)), "--question", "no-such-question")
    assert run.returncode == 2 and "no-such-question" in run.stderr


def test_prompt_words_in_a_transcript_are_caught():
    assert _echoes("So um okay here's what I'm like thinking about the labels", DISFLUENT_PROMPT)
    assert not _echoes("Okay, here's my plan: split by time and think about labels.", DISFLUENT_PROMPT)


def test_a_last_segment_whisper_barely_believes_is_dropped():
    def segment(text, *probabilities):
        said = [SimpleNamespace(word=f" w{i}", start=i, end=i + 0.5, probability=p) for i, p in enumerate(probabilities)]
        return SimpleNamespace(text=text, start=0.0, end=1.0, words=said)

    made_up = _to_transcript([segment("It works well.", 0.9, 0.8, 0.99), segment("you", 0.04)], 2.0, "m")
    assert made_up.text == "It works well." and len(made_up.words) == 3
    meant = _to_transcript([segment("It works well.", 0.9, 0.8, 0.99), segment("Thank you.", 0.7, 0.05)], 2.0, "m")
    assert meant.text == "It works well. Thank you." and len(meant.words) == 5
    unsure_inside = _to_transcript([segment("Hmm", 0.05), segment("It works.", 0.9, 0.9)], 2.0, "m")
    assert unsure_inside.text == "Hmm It works."

