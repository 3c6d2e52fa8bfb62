"""What the store hands back, and the errors it raises."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from interviewer.engine.state import InterviewState, Phase
from interviewer.grading.scorecard import Band, Scorecard

Delivery = dict[str, float | int]


class StoreError(Exception):
    """Anything the session store cannot do; the message names the database file."""


class StoreUnavailable(StoreError):
    """The database file cannot be opened or written (bad path, permissions, not a database)."""


class SessionNotFound(StoreError, LookupError):
    pass


class CorruptSession(StoreError):
    """A stored row no longer reads back as a session (edited by hand, or written by a broken build)."""


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoredSession(Record):
    id: str = Field(description="uuid4 hex, as returned by SessionStore.create.")
    state: InterviewState
    scorecard: Scorecard | None = None
    delivery: Delivery | None = Field(default=None, description="Speech delivery metrics, e.g. words_per_minute.")
    created_at: datetime
    updated_at: datetime = Field(description="When the last turn was saved.")
    finished_at: datetime | None = Field(default=None, description="When the state was first saved as scored.")

    @property
    def finished(self) -> bool:
        return self.state.phase == "scored"


class SessionSummary(Record):
    """One line of the history list: enough to show and pick a session without loading it."""

    id: str
    question_id: str
    rubric_version: int
    phase: Phase
    turns: int
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    score: float | None = None
    band: Band | None = None


class Attempt(Record):
    """A finished, scored session of one question."""

    session_id: str
    started_at: datetime
    finished_at: datetime | None = None
    scorecard: Scorecard


def criterion_progress(attempts: Iterable[Attempt]) -> dict[str, list[tuple[datetime, int]]]:
    """Level reached per criterion id across attempts, in attempt order, for a progress chart.

    A criterion a rubric revision added or removed simply has fewer points.
    """
    progress: dict[str, list[tuple[datetime, int]]] = {}
    for attempt in attempts:
        for result in attempt.scorecard.criteria:
            progress.setdefault(result.id, []).append((attempt.started_at, result.level))
    return progress
