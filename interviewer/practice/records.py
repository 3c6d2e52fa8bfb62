"""What the practice service hands its front ends: the practice as they hold it, and each step of a turn."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from interviewer.engine.state import InterviewState
from interviewer.grading.scorecard import Scorecard
from interviewer.speech.metrics import DeliveryMetrics
from interviewer.store.records import LoopRun

LOOP_KEY = "loop:"  # a practice key naming a loop run rather than a single session


class PracticeError(Exception):
    """A request the practice service cannot carry out; the message is for the candidate and says what to do."""


class Practice(BaseModel):
    """One candidate's practice between calls: the current question's session, and its loop if any.

    Plain data (no clients), so a front end can keep it in per-tab state; the store holds the truth.
    """

    model_config = ConfigDict(extra="forbid")

    owner: str = Field(description="Whose practice this is; every store call is checked against it.")
    session_id: str
    rubric_ref: str | None = Field(description="The rubric snapshot the session keeps until it ends.")
    state: InterviewState
    scorecard: Scorecard | None = None
    delivery: DeliveryMetrics | None = Field(default=None, description="Spoken answers' delivery on this question.")
    loop_run_id: str | None = None
    loop: LoopRun | None = None
    earlier: list[InterviewState] = Field(default_factory=list, description="A loop's earlier questions, for display.")

    @property
    def key(self) -> str:
        """What a browser keeps to resume this practice."""
        return LOOP_KEY + self.loop_run_id if self.loop_run_id else self.session_id

    @property
    def over(self) -> bool:
        """Nothing more to answer: the question (or the whole loop) is closed."""
        if self.loop is not None:
            return self.loop.ended
        return self.state.phase == "scored"

    @property
    def answerable(self) -> bool:
        """The current question takes answers (in a loop, between two questions it does not)."""
        return not self.over and self.state.phase != "scored"

    @property
    def scored(self) -> bool:
        return self.over and (self.scorecard is not None or (self.loop is not None and self.loop.scorecard is not None))


@dataclass(frozen=True)
class Step:
    """One update during a call: the practice so far, and what to show meanwhile."""

    practice: Practice
    speaking: str | None = None  # the interviewer's words so far, before they are part of the state
    heard: str | None = None  # what speech recognition heard, as soon as it is known
    notice: str | None = None  # something the candidate should be told (e.g. their answer was cut)
