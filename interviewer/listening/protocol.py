"""What a listener is: something that reads a candidate's turn into a Reading."""

from __future__ import annotations

from typing import Protocol

from interviewer.listening.offline_reader import read_turn
from interviewer.listening.reading import Heard
from interviewer.rubric.models import Rubric


class Listener(Protocol):
    name: str

    def read(self, text: str, rubric: Rubric, asked: str | None, say: str | None = None) -> Heard:
        """`asked`: the interviewer's last question, for a listener that reads in context. `say`: what
        the reply will most likely have to say, for a model to phrase in the same call."""
        ...


class OfflineListener:
    """Rules over the wording: needs no model and never fails."""

    name = "offline"

    def read(self, text: str, rubric: Rubric, asked: str | None, say: str | None = None) -> Heard:
        return Heard(reading=read_turn(text, rubric))
