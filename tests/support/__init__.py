"""Helpers shared by several test packages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

START = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


class SteppingClock:
    """A clock that moves on by a fixed step each time it is read, so an interview replays exactly."""

    def __init__(self, step: timedelta = timedelta(seconds=30), start: datetime = START) -> None:
        self.now, self.step = start, step

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now
