from __future__ import annotations

import pytest

from interviewer.grading.embeddings import default_embedder
from interviewer.grading.offline import OfflineGrader
from interviewer.rubric import RubricBank


@pytest.fixture(scope="session")
def bank() -> RubricBank:
    return RubricBank()


@pytest.fixture(scope="session")
def grader() -> OfflineGrader:
    return OfflineGrader(default_embedder())
