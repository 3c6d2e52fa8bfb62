"""Where a candidate is in an interview loop: the sessions held so far, nothing live.

Like InterviewState it holds no client and no rubric objects, so it can sit in Gradio state
or be written out as JSON and read back.
"""

from __future__ import annotations

from pydantic import Field

from interviewer.engine.state import InterviewState, Record


class LoopProgress(Record):
    loop_id: str
    loop_version: int
    question_ids: list[str] = Field(description="The loop's questions in order, quick-fire steps expanded.")
    states: list[InterviewState] = Field(
        default_factory=list, description="One session per question opened so far, in order; the last is the current one."
    )
    ended: bool = Field(default=False, description="The loop is over: the last question closed, or the candidate ended it.")

    @property
    def index(self) -> int:
        """Index of the current question; -1 before the first is opened."""
        return len(self.states) - 1
