"""What the store hands back: sessions, their summaries and attempts, and loop runs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from interviewer.engine.state import InterviewState, Phase
from interviewer.grading.loop_scorecard import LoopScorecard
from interviewer.grading.scorecard import Band, Scorecard
from interviewer.speech.metrics import DeliveryMetrics


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoredSession(Record):
    id: str = Field(description="uuid4 hex, as returned by create.")
    owner: str = Field(description="Who the session belongs to, e.g. 'local' or 'browser:<hex>'.")
    state: InterviewState
    rubric_ref: str | None = Field(default=None, description="The rubric snapshot the session runs on.")
    loop_run: str | None = Field(default=None, description="The loop run this session is a question of.")
    scorecard: Scorecard | None = None
    delivery: DeliveryMetrics | None = Field(default=None, description="Speech delivery over the session's answers.")
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
    title: str | None = Field(default=None, description="The rubric snapshot's title, when the session has one.")
    rubric_ref: str | None = Field(default=None, description="The rubric snapshot the session runs on.")
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


class LoopQuestion(Record):
    question_id: str = Field(description="The question's rubric id.")
    title: str = Field(description="The question's title, as shown on the loop scorecard.")
    minutes: float = Field(gt=0, description="The question's time budget; its weight in the loop's score.")
    rubric_ref: str | None = Field(default=None, description="The rubric snapshot the question is asked from.")


class LoopRun(Record):
    """One candidate's pass through an interview loop; each question opened is a session of its own."""

    loop_id: str = Field(description="The loop's id (its file name without .yaml).")
    loop_version: int = Field(description="The loop's version when the run started.")
    title: str = Field(description="The loop's title, e.g. 'ML engineer screen'.")
    role: str = Field(description="The role the loop prepares for; empty when not known.")
    questions: list[LoopQuestion] = Field(description="The loop's questions in order, quick-fire steps expanded.")
    session_ids: list[str] = Field(
        default_factory=list,
        description="One session per question opened so far, in order; the last is the current one.",
    )
    ended: bool = Field(default=False, description="The loop is over: the last question closed, or the candidate ended it.")
    scorecard: LoopScorecard | None = Field(default=None, description="The combined scorecard, once the loop ended.")

    @model_validator(mode="after")
    def _no_more_sessions_than_questions(self) -> LoopRun:
        if len(self.session_ids) > len(self.questions):
            raise ValueError(f"{len(self.session_ids)} sessions for a loop of {len(self.questions)} questions")
        return self

    @property
    def index(self) -> int:
        """Index of the current question; -1 before the first is opened."""
        return len(self.session_ids) - 1

    @property
    def current_session_id(self) -> str | None:
        return self.session_ids[-1] if self.session_ids else None


def criterion_progress(attempts: Iterable[Attempt]) -> dict[str, list[tuple[datetime, int]]]:
    """Level reached per criterion id across attempts, in attempt order, for a progress chart.

    A criterion a rubric revision added or removed simply has fewer points.
    """
    progress: dict[str, list[tuple[datetime, int]]] = {}
    for attempt in attempts:
        for result in attempt.scorecard.criteria:
            progress.setdefault(result.id, []).append((attempt.started_at, result.level))
    return progress
