"""Real interviews played with the pure engine functions and a stepping clock, for store tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from support import START, SteppingClock

from interviewer.engine.state import InterviewState, Move
from interviewer.listening.offline_reader import read_turn
from interviewer.engine.transitions import candidate_turn, end_interview, record_interviewer_turn, start_interview
from interviewer.rubric.models import Rubric
from interviewer.voice.templates import render

Clock = Callable[[], datetime]

ANSWERS = [
    "How much data do we have?",
    ("I'd frame it as regression on seconds to pickup, predicted at request time. I'd use the routing "
     "engine estimate as a baseline and train gradient boosting on the residual."),
    ("Features: distance, time of day, live traffic speeds, weather. I'd split by time, not randomly, "
     "and measure MAE and p90 error against the baseline."),
    "I'm done",
]


def opened(rubric: Rubric, start: datetime = START, clock: Clock | None = None) -> InterviewState:
    """An interview whose opening has been said."""
    clock = clock or SteppingClock(start=start)
    state, move = start_interview(rubric, clock())
    return spoken(state, move, rubric, clock)


def reply(state: InterviewState, rubric: Rubric, text: str, clock: Clock) -> InterviewState:
    """The candidate says `text`; the interviewer answers."""
    state, move = candidate_turn(state, rubric, text, read_turn(text, rubric), clock())
    return spoken(state, move, rubric, clock)


def spoken(state: InterviewState, move: Move, rubric: Rubric, clock: Clock) -> InterviewState:
    return record_interviewer_turn(state, move, render(move, state, rubric), clock())


def played(rubric: Rubric, answers: Iterable[str] = ANSWERS, start: datetime = START) -> InterviewState:
    """A whole interview, ended and ready to score."""
    clock = SteppingClock(start=start)
    state = opened(rubric, clock=clock)
    for text in answers:
        if state.phase == "scored":
            break
        state = reply(state, rubric, text, clock)
    return end_interview(state)
