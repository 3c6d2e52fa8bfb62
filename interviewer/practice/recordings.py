"""A recorded answer read from a file, transcribed as the app would hear it (`interviewer transcribe`)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from interviewer.llm.config import LLMSettings
from interviewer.practice.records import PracticeError
from interviewer.practice.vocabulary import question_vocabulary
from interviewer.rubric.models import Rubric
from interviewer.speech.jargon import Vocabulary, correct
from interviewer.speech.live import transcribe_recording
from interviewer.speech.protocol import Transcript, expecting
from interviewer.speech.vad import RATE

FORMATS = "WAV, WebM or Ogg (Opus), MP3, M4A/AAC or FLAC"


def transcribe_file(path: Path, settings: LLMSettings, question: Rubric | None = None) -> Transcript:
    """The transcript of a recording, utterance by utterance, with ML terms put back (those of
    `question` too, when given)."""
    from interviewer.speech.select import speech_backends  # loads no model yet, but imports the runtimes

    samples = _decoded(path)
    vocabulary = question_vocabulary(question) if question else Vocabulary()
    transcriber = expecting(speech_backends(settings)[0], vocabulary.hints())
    return transcribe_recording(transcriber, samples, RATE, partial(correct, vocabulary=vocabulary))


def _decoded(path: Path):  # type: ignore[no-untyped-def]
    """16 kHz mono float32 samples of any format the browser records or people keep answers in."""
    if not path.is_file():
        raise PracticeError(f"{path}: no such file. Give the path of a recording ({FORMATS}).")
    from faster_whisper.audio import decode_audio  # PyAV, a faster-whisper dependency

    try:
        return decode_audio(str(path), sampling_rate=RATE)
    except Exception as error:  # noqa: BLE001 - PyAV raises many kinds; all mean "not audio we can read"
        raise PracticeError(f"{path}: cannot read it as audio ({error}). Use a recording in {FORMATS}.") from error
