from __future__ import annotations

import pytest

from interviewer.engine.state import InterviewState
from interviewer.grading.offline import OfflineGrader
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric import RubricBank
from interviewer.rubric.models import Rubric
from interviewer.speech.metrics import DeliveryMetrics, Pause

from .interviews import ANSWERS, play

# 285 words and 7 fillers in two minutes of talk: 142.5 words and 3.5 fillers a minute.
DELIVERY = DeliveryMetrics(
    answers=2, duration_seconds=131, talk_seconds=120, word_count=285, filler_count=7, fillers={"um": 7},
    long_pauses=[Pause(start_seconds=10, end_seconds=13.5)], pause_source="audio",
)


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
def delivery() -> DeliveryMetrics:
    return DELIVERY
