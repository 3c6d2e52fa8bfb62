"""One scorecard for a whole interview loop: each question's scorecard, and a time-weighted overall score.

A question the candidate never answered counts as 0 and is marked skipped, so ending a loop
early cannot raise its score.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import Field

from interviewer.engine.state import InterviewState
from interviewer.grading.offline import answers_in
from interviewer.grading.scorecard import Band, Record, Scorecard, band_for
from interviewer.rubric.loops import Loop
from interviewer.rubric.models import Rubric

if TYPE_CHECKING:
    from interviewer.grading.select import Grader


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


def step_result(rubric: Rubric, card: Scorecard | None) -> LoopStepResult:
    """One question's part of the loop scorecard; `card` None means the question was skipped."""
    return LoopStepResult(
        question_id=rubric.id, title=rubric.title, minutes=rubric.duration_minutes,
        skipped=card is None, score=card.score if card else 0.0, scorecard=card,
    )


def combine(loop: Loop, steps: Sequence[LoopStepResult], grader: str) -> LoopScorecard:
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
        loop_id=loop.id, loop_version=loop.version, title=loop.title, role=loop.role, minutes=minutes,
        score=score, band=band_for(score), steps=list(steps), flags=flags, grader=grader,
    )


def answered(state: InterviewState | None) -> bool:
    """Whether the candidate stated anything to grade (clarifying questions and hint requests alone do not count)."""
    return state is not None and bool(answers_in(state).strip())


def grade_loop(
    loop: Loop, rubrics: Sequence[Rubric], states: Sequence[InterviewState | None], grader: Grader
) -> LoopScorecard:
    """Grade every answered question of a loop and combine them.

    `rubrics` are the loop's questions in order (`RubricBank.loop_questions`); `states` the
    sessions held so far, in the same order. Missing states, None and sessions with no answer
    are skipped questions.
    """
    if len(states) > len(rubrics):
        raise ValueError(f"{len(states)} sessions for a loop of {len(rubrics)} questions")
    padded = [*states, *[None] * (len(rubrics) - len(states))]
    steps = []
    for rubric, state in zip(rubrics, padded):
        if state is not None and state.question_id != rubric.id:
            raise ValueError(f"the session for '{rubric.id}' is a session of '{state.question_id}'")
        card = grader.grade_session(state, rubric) if state is not None and answered(state) else None
        steps.append(step_result(rubric, card))
    return combine(loop, steps, grader.name)
