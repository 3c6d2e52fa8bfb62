"""The scorecard a grader produces: serialisable, shown in the app and written to exports."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Band = Literal["no-hire", "lean-no-hire", "lean-hire", "strong-hire"]
BANDS: tuple[Band, ...] = ("no-hire", "lean-no-hire", "lean-hire", "strong-hire")
# Lower score bounds of each band above no-hire, on the 0-100 scale. With the offline grader's
# curve (100 * coverage ** 0.65): raising a third of the rubric's areas at level 1 gives 24, every
# area at level 1 (or half of them at level 2) about 48.
BAND_FLOORS = {"lean-no-hire": 24.0, "lean-hire": 48.0, "strong-hire": 72.0}


def band_for(score: float) -> Band:
    band: Band = "no-hire"
    for name, floor in BAND_FLOORS.items():
        if score >= floor:
            band = name  # type: ignore[assignment]
    return band


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IdeaFound(Record):
    idea: str = Field(description="The rubric's name for the idea.")
    quote: str = Field(description="The candidate's sentence that expresses it.")


class CriterionResult(Record):
    id: str
    name: str
    weight: float
    level: int = Field(ge=0, le=3)
    descriptor: str = Field(description="The rubric's descriptor of the level reached (the rubric's words, not the answer's).")
    evidence: list[str] = Field(default_factory=list, description="Sentences quoted from the transcript.")
    strong_answer_adds: str = Field(description="What a level-3 answer says, shown when the level is below 3.")
    reason: str = Field(default="", description="Why this level, in plain words.")
    found: list[IdeaFound] = Field(default_factory=list, description="The key ideas found, each with its quote.")
    missing: list[str] = Field(default_factory=list, description="The key ideas not found.")
    next_level: str = Field(default="", description="What the rubric asks for at the next level; empty at level 3.")


class RedFlagHit(Record):
    id: str
    claim: str
    why: str
    quote: str
    penalty: float


class IntegrityFlag(Record):
    code: Literal["instruction-to-grader", "buzzword-list", "off-topic"]
    message: str


class Scorecard(Record):
    question_id: str
    rubric_version: int
    score: float = Field(ge=0, le=100)
    band: Band
    criteria: list[CriterionResult]
    red_flags: list[RedFlagHit] = Field(default_factory=list)
    flags: list[IntegrityFlag] = Field(default_factory=list, description="E.g. an attempt to instruct the grader.")
    strengths: list[str] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    grader: str = Field(description="Which grader made this scorecard, e.g. 'offline' or 'llm:gpt-4o-mini'.")
    notes: list[str] = Field(default_factory=list, description="E.g. why the LLM grader fell back to the offline one.")
