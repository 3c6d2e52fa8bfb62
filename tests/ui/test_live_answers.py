"""Answers being spoken, held server-side: one per browser at a time."""

from __future__ import annotations

import numpy as np

from interviewer.speech.live import LiveTranscript
from interviewer.speech.protocol import Transcript
from interviewer.ui.live_answers import LiveAnswers


class Silent:
    def transcribe(self, audio: np.ndarray, sample_rate: int) -> Transcript:
        return Transcript(text="")


def test_a_browser_holds_one_open_answer_and_others_keep_theirs() -> None:
    answers, quiet = LiveAnswers(), np.zeros(1600, np.int16)
    answers.feed(("alice", "p1"), lambda: LiveTranscript(Silent()), quiet, 16_000)
    answers.feed(("bob", "p9"), lambda: LiveTranscript(Silent()), quiet, 16_000)
    answers.feed(("alice", "p2"), lambda: LiveTranscript(Silent()), quiet, 16_000)
    assert answers.take(("alice", "p1")) is None  # dropped when her next answer opened
    assert answers.take(("alice", "p2")) is not None
    assert answers.take(("bob", "p9")) is not None
