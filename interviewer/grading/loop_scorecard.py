"""One scorecard for a whole interview loop: each question's scorecard, and a time-weighted overall score.

A question the candidate never answered counts as 0 and is marked skipped, so ending a loop
early cannot raise its score.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from interviewer.engine.state import InterviewState
from interviewer.grading.offline import answers_in
from interviewer.grading.scorecard import Band, Record, Scorecard, band_for


class LoopStepResult(Record):
    question_id: str
    title: str
    minutes: float = Field(gt=0, description="The question's time budget; its weight in the overall score.")
    skipped: bool = Field(description="The candidate never answered this question; it counts as 0.")
    score: float = Field(ge=0, le=100)
    scorecard: Scorecard | None = Field(default=None, description="None when the question was skipped.")


class LoopFlag(Record):
    question_id: str
    code: str = Field(description="An integrity flag's code (e.g. buzzword-list), or red-flag:<id>.")
    message: str


class LoopScorecard(Record):
    loop_id: str
    loop_version: int
    title: str
    role: str
    minutes: float = Field(description="Total time budget of the loop's questions.")
    score: float = Field(ge=0, le=100, description="Mean of the question scores, weighted by their minutes.")
    band: Band
    steps: list[LoopStepResult]
    flags: list[LoopFlag] = Field(default_factory=list, description="Every question's flags and red flags.")
    grader: str

    @property
    def answered(self) -> int:
        return sum(not step.skipped for step in self.steps)


def step_result(question_id: str, title: str, minutes: float, card: Scorecard | None) -> LoopStepResult:
    """One question's part of the loop scorecard; `card` None means the question was skipped."""
    return LoopStepResult(
        question_id=question_id, title=title, minutes=minutes,
        skipped=card is None, score=card.score if card else 0.0, scorecard=card,
    )


def combine(loop_id: str, loop_version: int, title: str, role: str, steps: Sequence[LoopStepResult], grader: str) -> LoopScorecard:
    """The loop scorecard from its questions' results: the overall score is their duration-weighted mean."""
    minutes = sum(step.minutes for step in steps)
    score = round(sum(step.minutes * step.score for step in steps) / minutes, 1) if minutes else 0.0
    flags = [
        flag
        for step in steps if step.scorecard
        for flag in (
            *(LoopFlag(question_id=step.question_id, code=f.code, message=f.message) for f in step.scorecard.flags),
            *(LoopFlag(question_id=step.question_id, code=f"red-flag:{hit.id}", message=f"{hit.claim} {hit.why}")
              for hit in step.scorecard.red_flags),
        )
    ]
    return LoopScorecard(
        loop_id=loop_id, loop_version=loop_version, title=title, role=role, minutes=minutes,
        score=score, band=band_for(score), steps=list(steps), flags=flags, grader=grader,
    )


def answered(state: InterviewState | None) -> bool:
    """Whether the candidate stated anything to grade (clarifying questions and hint requests alone do not count)."""
    return state is not None and bool(answers_in(state).strip())
