"""What a grader and an embedding model are, for code that takes either kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from interviewer.engine.state import InterviewState
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric.models import Rubric


class Grader(Protocol):
    @property
    def name(self) -> str: ...

    def grade(self, rubric: Rubric, answer: str) -> Scorecard: ...

    def grade_session(self, state: InterviewState, rubric: Rubric) -> Scorecard: ...


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray: ...
