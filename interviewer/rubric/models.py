"""The rubric file format: one YAML file per interview question, written by coaches.

Descriptions on the fields flow into the JSON Schema that editors use for autocompletion,
so they are written for coaches, not programmers.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Level = Annotated[int, Field(ge=0, le=3)]

Category = Literal[
    "case-study", "system-design", "applied-modeling", "recommendation", "theory", "coding"
]
Difficulty = Literal["easy", "medium", "hard"]


class Strict(BaseModel):
    """Base for every part of a rubric: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    file: Text = Field(description="Seed document the question comes from, e.g. 000_b005460a21cad71f.txt.")
    question: Text = Field(description="The question as it appears there (number and wording).")


class Fact(Strict):
    id: Slug = Field(description="Short name of the fact, unique in this rubric, e.g. data-available.")
    cues: list[Text] = Field(
        min_length=1,
        description="Words or questions a candidate would use to ask for this fact, "
        "e.g. 'how much data', 'what is the latency budget'.",
    )
    answer: Text = Field(description="What the interviewer says when asked, in one to three sentences.")


class Levels(Strict):
    """Descriptors for levels 0 to 3, keyed by the level number."""

    not_addressed: Text = Field(alias="0", description="Level 0: what an answer that does not address this looks like.")
    weak: Text = Field(alias="1", description="Level 1: a weak or superficial treatment.")
    solid: Text = Field(alias="2", description="Level 2: a solid, correct treatment.")
    strong: Text = Field(alias="3", description="Level 3: what a strong hire says.")

    @model_validator(mode="before")
    @classmethod
    def _numbers_as_keys(cls, data: Any) -> Any:
        # YAML reads `0:` as the integer 0; the aliases are strings.
        if isinstance(data, dict):
            return {str(key): value for key, value in data.items()}
        return data

    def descriptor(self, level: int) -> str:
        return (self.not_addressed, self.weak, self.solid, self.strong)[level]


class Concept(Strict):
    name: Text = Field(description="The idea that counts as evidence, e.g. 'time-based validation split'.")
    phrases: list[Text] = Field(
        min_length=1,
        description="Synonyms and paraphrases a candidate might say for this idea, "
        "e.g. 'split by time', 'train on earlier weeks', 'out-of-time validation'. Its content words match "
        "in any inflection, in this order with up to three words between, or side by side in any order.",
    )


class Criterion(Strict):
    id: Slug = Field(description="Short name, unique in this rubric, e.g. evaluation-metrics.")
    name: Text = Field(description="Title shown on the scorecard.")
    weight: float = Field(gt=0, description="Relative importance; 1 is normal, 2 counts twice as much.")
    description: Text = Field(description="What the interviewer is looking for under this criterion.")
    levels: Levels = Field(description="What an answer at each level 0-3 looks like.")
    concepts: list[Concept] = Field(min_length=1, description="Ideas that count as evidence for this criterion.")
    touches: list[Text] = Field(
        default_factory=list,
        description="Plain words a candidate uses when they raise this area without any of its ideas, e.g. "
        "'deploy', 'neural network', 'check the accuracy': worth level 1 alone, never more.",
    )
    follow_ups: list[Text] = Field(
        min_length=1, description="Questions the interviewer asks when the candidate skipped this criterion."
    )
    deeper: list[Text] = Field(
        default_factory=list,
        description="Harder questions on this criterion, asked once the candidate has covered its basics, before "
        "moving on: they test depth (why, trade-offs, what breaks). Never presuppose anything the candidate has not said.",
    )
    hint: Text | None = Field(default=None, description="A nudge given when the candidate asks for a hint.")


class RedFlag(Strict):
    id: Slug = Field(description="Short name, unique in this rubric, e.g. accuracy-on-imbalance.")
    claim: Text = Field(description="The claim that costs points, as a coach would describe it.")
    phrases: list[Text] = Field(min_length=1, description="Ways a candidate might make this claim.")
    why: Text = Field(description="Why it is wrong; shown to the candidate on the scorecard.")
    challenge: Text = Field(
        description="What the interviewer says at once when a candidate makes this claim: a question that makes "
        "them reconsider, without giving the answer away.",
    )
    penalty: float = Field(default=5, gt=0, le=50, description="Points taken off the 0-100 score.")


class Technique(Strict):
    id: Slug = Field(description="Short name, unique in this rubric, e.g. gradient-boosting.")
    name: Text = Field(description="How the interviewer names it back to the candidate, e.g. 'gradient boosting'.")
    phrases: list[Text] = Field(min_length=1, description="Ways a candidate might name it, e.g. 'xgboost', 'lightgbm'.")
    criterion: Slug = Field(description="Id of the criterion a choice of this technique bears on.")
    follow_ups: list[Text] = Field(
        min_length=1,
        description="Questions that dig into this choice once the candidate has named it: why it over an "
        "alternative, where it would fail here, how it runs in production.",
    )


class Phase(Strict):
    name: Text = Field(description="What this part of the interview covers, e.g. 'clarify the problem'.")
    minutes: float = Field(gt=0, description="Time budget for this phase.")
    focus: list[Slug] = Field(default_factory=list, description="Ids of the criteria discussed in this phase.")


class Example(Strict):
    id: Slug = Field(description="Short name, unique in this rubric, e.g. strong-answer.")
    answer: Text = Field(description="A candidate answer, as they would say it.")
    expected_levels: dict[Slug, Level] = Field(
        description="The level 0-3 the coach expects for every criterion, keyed by criterion id."
    )
    note: str | None = Field(default=None, description="Why the coach expects these levels.")


class Rubric(Strict):
    id: Slug = Field(description="Unique id of the question; must equal the file name without .yaml.")
    version: int = Field(default=1, ge=1, description="Bump when you change what is graded.")
    title: Text = Field(description="Short title shown in the question picker.")
    category: Category = Field(description="Kind of question.")
    difficulty: Difficulty = Field(description="How hard the question is.")
    duration_minutes: float = Field(gt=0, le=180, description="Time the candidate has for the question.")
    prompt: Text = Field(description="What the interviewer says to open the question.")
    sources: list[Source] = Field(min_length=1, description="Where in the seed documents the question comes from.")
    facts: list[Fact] = Field(
        min_length=1, description="Scenario facts the interviewer reveals when the candidate asks for them."
    )
    criteria: list[Criterion] = Field(min_length=1, description="What is graded, each with levels 0-3.")
    red_flags: list[RedFlag] = Field(default_factory=list, description="Claims that should cost points.")
    techniques: list[Technique] = Field(
        default_factory=list,
        description="Techniques a candidate may name, each with follow-ups that dig into that choice.",
    )
    model_answer: list[Text] = Field(
        min_length=1, description="Outline of a strong answer, one point per line; shown only after scoring."
    )
    phases: list[Phase] = Field(default_factory=list, description="Optional time budget per part of the interview.")
    examples: list[Example] = Field(
        default_factory=list, description="Candidate answers with the levels the coach expects; used to check the grader."
    )

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)
