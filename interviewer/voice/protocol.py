"""What a voice is: something that turns the engine's move into the interviewer's words."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from interviewer.engine.state import InterviewState, Move
from interviewer.rubric.models import Rubric


class Voice(Protocol):
    name: str

    def speak(self, move: Move, state: InterviewState, rubric: Rubric) -> Iterator[str]:
        """The interviewer's words for `move`, in chunks as they are produced."""
        ...
