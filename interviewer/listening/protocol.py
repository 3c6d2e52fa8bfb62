"""What a listener is: something that reads a candidate's turn into a Reading."""

from __future__ import annotations

from typing import Protocol

from interviewer.listening.offline_reader import read_turn
from interviewer.listening.reading import Reading
from interviewer.rubric.models import Rubric


class Listener(Protocol):
    name: str

    def read(self, text: str, rubric: Rubric, asked: str | None) -> Reading:
        """`asked`: the interviewer's last question, for a listener that reads in context."""
        ...


class OfflineListener:
    """Rules over the wording: needs no model and never fails."""

    name = "offline"

    def read(self, text: str, rubric: Rubric, asked: str | None) -> Reading:
        return read_turn(text, rubric)
