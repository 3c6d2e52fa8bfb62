"""Interview loops: a full mock interview made of several questions asked one after another."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ConfigDict, Field, model_validator
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from interviewer.rubric.models import Rubric, Slug, Strict, Text
from interviewer.rubric.quickfire import QuickFireSet

# Editors can only tell the two kinds of step apart if the schema says so.
_STEP_SCHEMA: JsonDict = {
    "oneOf": [
        {"required": ["question"], "not": {"anyOf": [{"required": ["quick_fire"]}, {"required": ["count"]}]}},
        {"required": ["quick_fire"], "not": {"required": ["question"]}},
    ]
}


class LoopStep(Strict):
    """One step: either one question, or questions from a quick-fire set."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_STEP_SCHEMA)

    question: Slug | None = Field(
        default=None,
        description="Id of a question to ask: a rubric file name without .yaml (e.g. uber-eta), or "
        "<set id>-<question id> for one quick-fire question (e.g. ml-fundamentals-f1-score).",
    )
    quick_fire: Slug | None = Field(
        default=None, description="Id of a quick-fire set in rubrics/quickfire/ whose questions are asked in turn."
    )
    count: int | None = Field(
        default=None, ge=1, description="With quick_fire: ask only the set's first N questions (default: all of them)."
    )

    @model_validator(mode="after")
    def _one_kind(self) -> LoopStep:
        if self.question and self.quick_fire:
            raise PydanticCustomError(
                "loop_step", "a step has both 'question' and 'quick_fire'",
                {"fix": "split it into two steps, one '- question: ID' and one '- quick_fire: SET'"},
            )
        if not (self.question or self.quick_fire):
            raise PydanticCustomError(
                "loop_step", "a step needs 'question' or 'quick_fire'",
                {"fix": "write '- question: ID' for one question or '- quick_fire: SET' for a quick-fire set"},
            )
        if self.question and self.count is not None:
            raise PydanticCustomError(
                "loop_step", "'count' only goes with 'quick_fire'",
                {"fix": "remove 'count', or use '- quick_fire: SET' with 'count: N'"},
            )
        return self


class Loop(Strict):
    id: Slug = Field(description="Unique id of the loop; must equal the file name without .yaml.")
    version: int = Field(default=1, ge=1, description="Bump when you change the questions or their order.")
    title: Text = Field(description="Short title shown in the loop picker, e.g. 'ML engineer screen'.")
    role: Text = Field(description="The role the loop prepares for, e.g. 'ML engineer' or 'data scientist'.")
    description: Text = Field(description="What the loop covers and who it is for, in one to three sentences.")
    steps: list[LoopStep] = Field(min_length=1, description="The questions, in the order they are asked.")


def loop_question_ids(loop: Loop, quick_fire_sets: Mapping[str, QuickFireSet]) -> list[str]:
    """Ids of the questions the loop asks, in order, with quick-fire steps expanded."""
    ids: list[str] = []
    for step in loop.steps:
        if step.question:
            ids.append(step.question)
        elif step.quick_fire:
            ids.extend(quick_fire_sets[step.quick_fire].question_ids(step.count))
    return ids


def loop_minutes(rubrics: list[Rubric]) -> float:
    return sum(rubric.duration_minutes for rubric in rubrics)
