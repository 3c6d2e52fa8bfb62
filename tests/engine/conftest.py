from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from support import SteppingClock

from interviewer.rubric import RubricBank


@pytest.fixture(scope="session")
def bank() -> RubricBank:
    return RubricBank()


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return SteppingClock()
