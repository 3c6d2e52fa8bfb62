from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from interviewer.rubric import RubricBank

START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


class SteppingClock:
    """A clock that moves on by a fixed step each time it is read, so timings replay exactly."""

    def __init__(self, step: timedelta = timedelta(seconds=30)) -> None:
        self.now, self.step = START, step

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


@pytest.fixture(scope="session")
def bank() -> RubricBank:
    return RubricBank()


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return SteppingClock()
