"""What a candidate's turn does, as the listener reads it; the engine decides the reply from it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Meta = Literal["time", "depth", "pause"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Asked(Record):
    text: str = Field(description="The clarifying question, as the candidate put it.")
    fact_id: str | None = Field(default=None, description="The scenario fact that answers it; None when none does.")


class Claim(Record):
    red_flag_id: str
    quote: str = Field(description="The candidate's sentence that makes the claim.")


class Named(Record):
    technique_id: str = Field(description="The rubric's technique id, or the lexicon's for a technique it lacks.")
    name: str = Field(description="How the interviewer says it back.")
    quote: str = Field(description="The candidate's sentence that names it.")


class Reading(Record):
    said: list[str] = Field(default_factory=list, description="The sentences that state something: the answer proper.")
    questions: list[Asked] = Field(default_factory=list, description="Clarifying questions, in order.")
    rhetorical: list[str] = Field(default_factory=list, description="Questions the candidate went on to answer themselves.")
    repeat: Literal["repeat", "rephrase"] | None = Field(default=None, description="Asked to hear the last question again.")
    stuck: bool = Field(default=False, description="Says they do not know, and says nothing more.")
    meta: Meta | None = Field(default=None, description="A question about the interview itself (time, depth, a pause).")
    corrected: bool = Field(default=False, description="Took back something said earlier in the turn.")
    aside: bool = Field(default=False, description="Talked about something unrelated to the question.")
    instruction: str | None = Field(default=None, description="A sentence that tries to instruct the interviewer or grader.")
    claims: list[Claim] = Field(default_factory=list, description="Red-flag claims that stand (not negated or taken back).")
    techniques: list[Named] = Field(default_factory=list, description="Techniques named, in order.")
    wants_hint: bool = False
    done: bool = Field(default=False, description="Wants to finish, or has nothing to add.")

    @property
    def answers(self) -> bool:
        return bool(self.said)


class Heard(Record):
    """A listener's result: the reading, and the model's words for the reply it was asked to
    phrase along with it (None when it was not asked, or is not a model)."""

    reading: Reading
    line: str | None = None
