"""When a hands-free answer is over: a pause after a finished sentence, a longer one after a
sentence left hanging, and never while the candidate talks."""

from __future__ import annotations

import time

import numpy as np
import pytest

from interviewer.speech.live import LiveTranscript
from interviewer.speech.piper_tts import PiperSynthesizer
from interviewer.speech.protocol import Transcript
from interviewer.speech.turns import END_PAUSE_ENV, THINKING_PAUSE_ENV, TurnTaking, finished

TURNS = TurnTaking(end_pause=1.5, thinking_pause=4.0)


@pytest.mark.parametrize(
    ("said", "done"),
    [
        ("I'd split by time.", True),
        ("Then I'd check calibration per city!", True),
        ("I'd split by time and", False),
        ("So the first thing, um...", False),
        ("and then because", False),
        ("", False),
    ],
)
def test_a_finished_sentence(said, done):
    assert finished(said) is done


def test_a_finished_sentence_ends_the_turn_after_the_end_pause():
    assert not TURNS.over("I'd split by time.", silence=1.0)
    assert TURNS.over("I'd split by time.", silence=1.6)


def test_a_thinking_pause_does_not_end_the_turn():
    assert not TURNS.over("I'd start with the labels, and", silence=3.0)
    assert not TURNS.over(None, silence=3.0)  # the end is still being transcribed
    assert TURNS.over("I'd start with the labels, and", silence=4.0)


def test_pauses_come_from_the_environment_and_bad_values_are_explained():
    taking = TurnTaking.from_env({END_PAUSE_ENV: "2", THINKING_PAUSE_ENV: "6.5"})
    assert (taking.end_pause, taking.thinking_pause) == (2.0, 6.5)
    assert TurnTaking.from_env({}) == TurnTaking()
    assert TurnTaking.from_env({END_PAUSE_ENV: "3", THINKING_PAUSE_ENV: "1"}).thinking_pause == 3.0
    with pytest.raises(ValueError, match=f"{END_PAUSE_ENV}='soon' is not a number"):
        TurnTaking.from_env({END_PAUSE_ENV: "soon"})
    with pytest.raises(ValueError, match="between 0.5 and 30"):
        TurnTaking.from_env({THINKING_PAUSE_ENV: "90"})


class Echo:
    def transcribe(self, audio: np.ndarray, sample_rate: int) -> Transcript:
        return Transcript(text="I'd split by time.")


def test_a_live_answer_knows_its_silence_and_when_its_end_is_transcribed():
    voice = PiperSynthesizer(variation=0)
    rate, speech = voice.synthesize("I would split the trips by time.")
    live = LiveTranscript(Echo())
    live.feed(np.zeros(rate // 2, dtype=np.int16), rate)
    assert not live.heard_speech and live.silence == 0.0
    live.feed(speech, rate)
    assert live.heard_speech and live.said_so_far() is None
    live.feed(np.zeros(rate, dtype=np.int16), rate)  # a second of silence closes the utterance
    assert live.silence == pytest.approx(1.0, abs=0.3) and not live.speaking
    deadline = time.monotonic() + 10
    while live.said_so_far() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert live.said_so_far() == "I'd split by time."
    live.feed(speech[: rate // 2], rate)
    assert live.speaking and live.silence < 0.3
    live.finish()
