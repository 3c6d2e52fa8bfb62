from __future__ import annotations

import pytest

from interviewer.engine.state import InterviewState
from interviewer.grading.offline import OfflineGrader
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric import RubricBank
from interviewer.rubric.models import Rubric

from .interviews import ANSWERS, play

DELIVERY = {"words_per_minute": 142.25, "filler_words": 7, "long_pauses": 2}


@pytest.fixture(scope="session")
def rubric() -> Rubric:
    return RubricBank().get("uber-eta")


@pytest.fixture(scope="session")
def state(rubric: Rubric) -> InterviewState:
    return play(rubric, ANSWERS)


@pytest.fixture(scope="session")
def card(state: InterviewState, rubric: Rubric) -> Scorecard:
    return OfflineGrader().grade_session(state, rubric)


@pytest.fixture
def delivery() -> dict[str, float | int]:
    return dict(DELIVERY)
