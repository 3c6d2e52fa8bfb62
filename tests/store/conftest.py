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
from interviewer.speech.metrics import DeliveryMetrics, Pause
from interviewer.store import SqliteStore

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
def sqlite_store(db_path: Path) -> SqliteStore:
    return SqliteStore(db_path, clock=SteppingClock(timedelta(seconds=1), START))


@pytest.fixture
def delivery() -> DeliveryMetrics:
    return DeliveryMetrics(
        answers=2, duration_seconds=61.5, talk_seconds=48.0, start_delay_seconds=1.5, word_count=112,
        filler_count=3, fillers={"um": 2, "like": 1}, long_pauses=[Pause(answer=1, start_seconds=4.0, end_seconds=6.5)],
        pause_source="audio",
    )


@pytest.fixture
def scored(rubric: Rubric, grader: OfflineGrader) -> Callable[..., tuple[InterviewState, Scorecard]]:
    def make(start: datetime = START, answers: Iterable[str] = ANSWERS, rubric: Rubric = rubric) -> tuple[InterviewState, Scorecard]:
        state = played(rubric, answers, start)
        return state, grader.grade_session(state, rubric)

    return make
