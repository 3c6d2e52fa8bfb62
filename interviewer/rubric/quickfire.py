"""Quick-fire sets: short theory questions, several to a file, each run as an ordinary rubric.

A coach writes only what differs between short questions (the prompt, the key points, one
follow-up, a model answer and example answers); `expand_question` fills in the rest, so the
engine, the graders, the app and the command line need no special case for them.
"""

from __future__ import annotations

from pydantic import Field

from interviewer.rubric.models import (
    Category,
    Concept,
    Criterion,
    Difficulty,
    Example,
    Fact,
    Level,
    Levels,
    Rubric,
    Slug,
    Source,
    Strict,
    Text,
)

KEY_POINTS = "key-points"
THEORY: Category = "theory"

# A theory question has no scenario to reveal: every clarifying question gets the same answer.
CLARIFICATION = Fact(
    id="clarification",
    cues=[
        "what do you mean", "can you clarify", "which context", "what setting", "should I assume", "can I assume",
        "which model", "what kind of model", "what kind of data", "how much detail", "how deep", "formula",
        "the math", "an example", "which one",
    ],
    answer=(
        "Keep it general: answer for a typical supervised learning problem, say any assumption you make, "
        "and use an example if it helps."
    ),
)

LEVELS_0_TO_2 = (
    "None of the key points came through.",
    "One key point came through; the rest was missing or too vague to credit.",
    "Two or more key points, stated correctly but without the full picture.",
)


class QuickFireExample(Strict):
    answer: Text = Field(description="A candidate answer to this question, as they would say it.")
    level: Level = Field(description="The level 0-3 the coach expects the grader to give this answer.")
    note: str | None = Field(default=None, description="Why the coach expects this level.")


class QuickFireQuestion(Strict):
    id: Slug = Field(
        description="Short name, unique in this set, e.g. bias-variance. The question's full id is "
        "<set id>-<question id>, e.g. ml-fundamentals-bias-variance."
    )
    title: Text | None = Field(
        default=None, description="Short title for the question picker; by default made from the id."
    )
    prompt: Text = Field(description="The question, as the interviewer asks it.")
    key_points: list[Concept] = Field(
        min_length=2,
        description="What a good answer states, 3 to 5 points, each with short phrases (1-4 words) a "
        "candidate might say for it. Two points earn level 2; three, explained over several sentences, level 3.",
    )
    follow_up: Text = Field(description="The one follow-up the interviewer asks when key points are missing.")
    hint: Text | None = Field(default=None, description="A nudge given when the candidate asks for a hint.")
    model_answer: list[Text] = Field(
        min_length=2, max_length=5, description="Outline of a strong answer, 2 to 5 points; shown only after scoring."
    )
    examples: list[QuickFireExample] = Field(
        min_length=2, description="Candidate answers with the level the coach expects; used to check the grader."
    )
    sources: list[Source] = Field(
        default_factory=list, description="Where this question comes from; by default the set's sources."
    )


class QuickFireSet(Strict):
    id: Slug = Field(description="Unique id of the set; must equal the file name without .yaml.")
    version: int = Field(default=1, ge=1, description="Bump when you change what is graded.")
    title: Text = Field(description="Short title of the set, e.g. 'ML fundamentals'.")
    difficulty: Difficulty = Field(description="How hard the questions are.")
    minutes_per_question: float = Field(default=3, gt=0, le=30, description="Time the candidate has for each question.")
    sources: list[Source] = Field(min_length=1, description="Where in the seed documents the questions come from.")
    questions: list[QuickFireQuestion] = Field(min_length=1, description="The short questions, in the order they are asked.")

    @property
    def minutes(self) -> float:
        return self.minutes_per_question * len(self.questions)

    def question_ids(self, count: int | None = None) -> list[str]:
        """Full ids of the first `count` questions (all of them when None)."""
        return [expanded_id(self.id, q.id) for q in self.questions[:count]]


def expanded_id(set_id: str, question_id: str) -> str:
    return f"{set_id}-{question_id}"


def question_title(question: QuickFireQuestion) -> str:
    return question.title or question.id.replace("-", " ").capitalize()


def expand_question(quick_fire: QuickFireSet, question: QuickFireQuestion) -> Rubric:
    """The ordinary rubric the engine runs for one quick-fire question."""
    names = "; ".join(point.name for point in question.key_points)
    strong = f"The key points ({names}), stated correctly and explained in the candidate's own words."
    criterion = Criterion(
        id=KEY_POINTS,
        name="Key points",
        weight=1,
        description=f"States the key points of a good answer: {names}.",
        levels=Levels.model_validate(dict(enumerate((*LEVELS_0_TO_2, strong)))),
        concepts=question.key_points,
        follow_ups=[question.follow_up],
        hint=question.hint,
    )
    return Rubric(
        id=expanded_id(quick_fire.id, question.id),
        version=quick_fire.version,
        title=f"{quick_fire.title}: {question_title(question)}",
        category=THEORY,
        difficulty=quick_fire.difficulty,
        duration_minutes=quick_fire.minutes_per_question,
        prompt=question.prompt,
        sources=question.sources or quick_fire.sources,
        facts=[CLARIFICATION],
        criteria=[criterion],
        model_answer=question.model_answer,
        examples=[
            Example(id=f"example-{number}-level-{example.level}", answer=example.answer,
                    expected_levels={KEY_POINTS: example.level}, note=example.note)
            for number, example in enumerate(question.examples, start=1)
        ],
    )


def expand(quick_fire: QuickFireSet) -> list[Rubric]:
    return [expand_question(quick_fire, question) for question in quick_fire.questions]
