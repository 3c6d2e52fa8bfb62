from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from interviewer.engine.state import InterviewState
from interviewer.grading.offline import OfflineGrader
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric import RubricBank
from interviewer.rubric.models import Rubric
from interviewer.store import SessionStore

from support import START, SteppingClock

from .interviews import ANSWERS, played


@pytest.fixture(scope="session")
def bank() -> RubricBank:
    return RubricBank()


@pytest.fixture(scope="session")
def rubric(bank: RubricBank) -> Rubric:
    return bank.get("uber-eta")


@pytest.fixture(scope="session")
def grader() -> OfflineGrader:
    return OfflineGrader()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sessions.sqlite3"


@pytest.fixture
def store(db_path: Path) -> SessionStore:
    return SessionStore(db_path, clock=SteppingClock(timedelta(seconds=1), START))


@pytest.fixture
def scored(rubric: Rubric, grader: OfflineGrader) -> Callable[..., tuple[InterviewState, Scorecard]]:
    def make(start: datetime = START, answers: Iterable[str] = ANSWERS, rubric: Rubric = rubric) -> tuple[InterviewState, Scorecard]:
        state = played(rubric, answers, start)
        return state, grader.grade_session(state, rubric)

    return make
