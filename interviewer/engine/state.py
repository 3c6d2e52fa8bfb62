"""The interview state: everything needed to resume or score a session, and nothing live.

It never holds a client or a rubric object (only the rubric's id and version), so it can be
deep-copied into Gradio state, written to SQLite as JSON and read back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from interviewer.listening.reading import Reading

Phase = Literal["intro", "discussion", "wrap-up", "scored"]
Intent = Literal["question", "answer", "hint", "done", "repeat", "stuck", "meta", "aside"]
BeatKind = Literal[
    "open",  # read the question
    "acknowledge",  # say back what the candidate just said (`quote`)
    "answer-fact",  # answer a clarifying question from the scenario facts
    "repeat-fact",  # the same fact, asked again: say so and give it again
    "ask-assumption",  # no fact fits: ask the candidate to state an assumption
    "decline",  # the candidate tried to instruct the interviewer or the grader
    "time-left",  # say how much time is left (`minutes_left`)
    "depth",  # answer "should I go deeper?" (`deeper` says which way)
    "pause",  # the candidate asked for a moment to think
    "repeat",  # say the last question again
    "rephrase",  # ask the last question in other words
    "narrow",  # the candidate is stuck: a smaller question on the same criterion
    "leave-it",  # stuck on a challenge or after a hint: leave it and move on
    "steer-back",  # after an aside, back to the question
    "challenge",  # question a red-flag claim at once
    "dig",  # dig into a technique the candidate named
    "deepen",  # a harder question on a criterion the candidate covered
    "probe",  # ask a criterion's follow-up
    "move-along",  # the current part overran its budget: go on to the next
    "hint",  # give a criterion's hint
    "no-hint",  # nothing left to hint at
    "still-time",  # the candidate wants to finish early: there is time for one more part
    "wrap-up",  # invite last words before scoring
    "time-up",  # out of time: invite last words before scoring
    "close",  # the interview is over
]
MoveKind = BeatKind
QUESTION_BEATS = frozenset({"open", "repeat", "rephrase", "narrow", "challenge", "dig", "deepen", "probe", "move-along"})


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Beat(Record):
    """One thing the interviewer says; a voice turns it into words."""

    kind: BeatKind
    criterion_id: str | None = None
    fact_id: str | None = None
    follow_up: str | None = Field(default=None, description="The exact question asked, when the beat asks one.")
    phase_name: str | None = None
    technique: str | None = Field(default=None, description="A technique's name, as said back to the candidate.")
    quote: str | None = Field(default=None, description="The candidate's words this beat refers to.")
    red_flag_id: str | None = None
    minutes_left: float | None = None
    deeper: bool | None = Field(default=None, description="For 'depth': whether more depth is wanted.")
    acknowledge: bool = Field(default=False, description="Whether the candidate just answered something.")


class Move(Beat):
    """What the interviewer does next: the beats said first (facts asked for, a plain no), then
    the main one, which usually asks the next question."""

    before: list[Beat] = Field(default_factory=list)
    phrased: str | None = Field(
        default=None,
        description="A model's words for the main beat, written while it read the turn; a model voice may say "
        "them instead of phrasing the move anew.",
    )

    @property
    def beats(self) -> list[Beat]:
        return [*self.before, self]


class Turn(Record):
    role: Literal["interviewer", "candidate"]
    text: str
    at: datetime
    intent: Intent | None = None
    reading: Reading | None = Field(default=None, description="What the listener read in a candidate's turn.")
    move: Move | None = None


class CriterionCoverage(Record):
    level: int = Field(default=0, ge=0, le=3, description="Live estimate; the grader decides at the end.")
    concepts: list[str] = Field(default_factory=list, description="Names of the criterion's concepts mentioned so far.")
    evidence: list[str] = Field(default_factory=list, description="The first sentence that mentioned each concept.")
    probes: list[str] = Field(default_factory=list, description="Follow-ups already asked.")
    deeper: list[str] = Field(default_factory=list, description="Deeper questions already asked.")


class InterviewState(Record):
    question_id: str
    rubric_version: int
    phase: Phase = "intro"
    started_at: datetime
    turns: list[Turn] = Field(default_factory=list)
    coverage: dict[str, CriterionCoverage] = Field(default_factory=dict)
    hints_given: list[str] = Field(default_factory=list)
    facts_revealed: list[str] = Field(default_factory=list)
    challenged: list[str] = Field(default_factory=list, description="Red flags the interviewer has challenged.")
    dug: list[str] = Field(default_factory=list, description="Technique follow-ups already asked.")
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

    def last_question(self) -> Move | None:
        """The interviewer's last move that asked the candidate something."""
        for turn in reversed(self.turns):
            if turn.role == "interviewer" and turn.move and turn.move.kind in QUESTION_BEATS:
                return turn.move
        return None
