"""The interview state: everything needed to resume or score a session, and nothing live.

It never holds a client or a rubric object (only the rubric's id and version), so it can be
deep-copied into Gradio state, written to SQLite as JSON and read back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Phase = Literal["intro", "discussion", "wrap-up", "scored"]
Intent = Literal["question", "answer", "hint", "done"]
MoveKind = Literal[
    "open",  # read the question
    "answer-fact",  # answer a clarifying question from the scenario facts
    "ask-assumption",  # no fact fits: ask the candidate to state an assumption
    "probe",  # ask a criterion's follow-up
    "move-along",  # the current part overran its budget: go on to the next
    "hint",  # give a criterion's hint
    "no-hint",  # nothing left to hint at
    "wrap-up",  # invite last words before scoring
    "time-up",  # out of time: invite last words before scoring
    "close",  # the interview is over
]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Move(Record):
    """What the interviewer does next; a voice turns it into words."""

    kind: MoveKind
    criterion_id: str | None = None
    fact_id: str | None = None
    follow_up: str | None = Field(default=None, description="The exact follow-up question asked.")
    phase_name: str | None = None
    acknowledge: bool = Field(default=False, description="Whether the candidate just answered something.")


class Turn(Record):
    role: Literal["interviewer", "candidate"]
    text: str
    at: datetime
    intent: Intent | None = None
    move: Move | None = None


class CriterionCoverage(Record):
    level: int = Field(default=0, ge=0, le=3, description="Live estimate; the grader decides at the end.")
    concepts: list[str] = Field(default_factory=list, description="Names of the criterion's concepts mentioned so far.")
    evidence: list[str] = Field(default_factory=list, description="The first sentence that mentioned each concept.")
    probes: list[str] = Field(default_factory=list, description="Follow-ups already asked.")


class InterviewState(Record):
    question_id: str
    rubric_version: int
    phase: Phase = "intro"
    started_at: datetime
    turns: list[Turn] = Field(default_factory=list)
    coverage: dict[str, CriterionCoverage] = Field(default_factory=dict)
    hints_given: list[str] = Field(default_factory=list)
    facts_revealed: list[str] = Field(default_factory=list)
    rubric_phase: int = Field(default=0, description="Index into the rubric's phases.")
    rubric_phase_started_at: datetime
    fallback_announced: bool = Field(default=False, description="The candidate was told the LLM voice failed.")
    pending: Move | None = Field(
        default=None,
        description="The move decided but not yet spoken: set with the candidate's turn, cleared by the reply, "
        "so a reply lost to a crash is given on resume.",
    )

    def minutes_used(self, now: datetime) -> float:
        return (now - self.started_at).total_seconds() / 60

    def candidate_text(self) -> str:
        return "\n".join(t.text for t in self.turns if t.role == "candidate")
