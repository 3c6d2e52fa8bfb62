"""How far the grader agrees with the coach: on each rubric's own examples, criterion by
criterion, and on labelled answer files, band against the expert's level."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from interviewer.grading.answers import LabelledAnswer
from interviewer.grading.protocol import Grader
from interviewer.grading.scorecard import BANDS
from interviewer.rubric.models import Rubric

EXPECTED_EXACT = 0.75  # each rubric's examples graded at the coach's level on three quarters of criteria


@dataclass(frozen=True)
class Agreement:
    name: str
    pairs: int
    exact: int
    within_one: int

    @property
    def exact_share(self) -> float:
        return self.exact / self.pairs if self.pairs else 1.0

    def line(self) -> str:
        if not self.pairs:
            return f"{self.name}: nothing to compare"
        return (f"{self.name}: exact {self.exact}/{self.pairs} ({100 * self.exact_share:.0f}%), "
                f"within one {self.within_one}/{self.pairs} ({100 * self.within_one / self.pairs:.0f}%)")


def agreement(name: str, pairs: Iterable[tuple[int, int]]) -> Agreement:
    gaps = [abs(a - b) for a, b in pairs]
    return Agreement(name, len(gaps), sum(g == 0 for g in gaps), sum(g <= 1 for g in gaps))


def with_examples(grader: Grader, rubric: Rubric) -> Agreement:
    """The grader's level against the coach's, for every criterion of every example of `rubric`."""
    pairs = []
    for example in rubric.examples:
        card = grader.grade(rubric, example.answer)
        pairs += [(result.level, example.expected_levels[result.id]) for result in card.criteria]
    return agreement(rubric.id, pairs)


def with_labels(grader: Grader, rubrics: dict[str, Rubric], answers: list[LabelledAnswer], name: str) -> Agreement:
    """The grader's band against the expert's level (1-4), for the answers on questions in `rubrics`."""
    pairs = [
        (BANDS.index(grader.grade(rubrics[a.question], a.text).band), a.level - 1)
        for a in answers if a.level is not None and a.question in rubrics
    ]
    return agreement(name, pairs)


def overall(name: str, parts: list[Agreement]) -> Agreement:
    return Agreement(name, sum(p.pairs for p in parts), sum(p.exact for p in parts), sum(p.within_one for p in parts))
