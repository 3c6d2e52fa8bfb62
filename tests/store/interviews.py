"""A real interview played with a stepping clock, for store tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from support import START, SteppingClock

from interviewer.engine.state import InterviewState
from interviewer.rubric.models import Rubric
from interviewer.session import InterviewSession

ANSWERS = [
    "How much data do we have?",
    ("I'd frame it as regression on seconds to pickup, predicted at request time. I'd use the routing "
     "engine estimate as a baseline and train gradient boosting on the residual."),
    ("Features: distance, time of day, live traffic speeds, weather. I'd split by time, not randomly, "
     "and measure MAE and p90 error against the baseline."),
    "I'm done",
]




def opened(rubric: Rubric, start: datetime = START) -> InterviewSession:
    session = InterviewSession(rubric, clock=SteppingClock(start=start))
    for _ in session.open():
        pass
    return session


def reply(session: InterviewSession, text: str) -> str:
    spoken = ""
    for spoken in session.reply(text):
        pass
    return spoken


def played(rubric: Rubric, answers: Iterable[str] = ANSWERS, start: datetime = START) -> InterviewState:
    session = opened(rubric, start)
    for text in answers:
        if session.finished:
            break
        reply(session, text)
    return session.end()
