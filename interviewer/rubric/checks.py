"""Checks that span several fields of a rubric, run once its structure is valid.

Each check yields (location, message, fix), with the location as a pydantic-style tuple so
the loader can point at the line in the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from interviewer.rubric.models import Rubric

Finding = tuple[tuple[Any, ...], str, str]


def cross_field_problems(rubric: Rubric) -> list[Finding]:
    return [
        *_duplicate_ids(rubric),
        *_phase_problems(rubric),
        *_example_problems(rubric),
    ]


def _duplicate_ids(rubric: Rubric) -> Iterator[Finding]:
    for section in ("facts", "criteria", "red_flags", "examples"):
        first_index: dict[str, int] = {}
        for index, item in enumerate(getattr(rubric, section)):
            if item.id in first_index:
                yield (
                    (section, index, "id"),
                    f"duplicate id '{item.id}' (already used by {section}[{first_index[item.id]}])",
                    f"give each entry of '{section}' its own id",
                )
            else:
                first_index[item.id] = index


def _phase_problems(rubric: Rubric) -> Iterator[Finding]:
    criterion_ids = {c.id for c in rubric.criteria}
    for index, phase in enumerate(rubric.phases):
        for position, focus in enumerate(phase.focus):
            if focus not in criterion_ids:
                yield (
                    ("phases", index, "focus", position),
                    f"unknown criterion '{focus}'",
                    f"use one of the criterion ids: {', '.join(sorted(criterion_ids))}",
                )
    total = sum(phase.minutes for phase in rubric.phases)
    if total > rubric.duration_minutes:
        yield (
            ("phases",),
            f"the phases add up to {total:g} minutes, more than duration_minutes ({rubric.duration_minutes:g})",
            "shorten the phases or raise duration_minutes",
        )


def _example_problems(rubric: Rubric) -> Iterator[Finding]:
    criterion_ids = [c.id for c in rubric.criteria]
    for index, example in enumerate(rubric.examples):
        for criterion_id in example.expected_levels:
            if criterion_id not in criterion_ids:
                yield (
                    ("examples", index, "expected_levels", criterion_id),
                    f"unknown criterion '{criterion_id}'",
                    f"use one of the criterion ids: {', '.join(criterion_ids)}",
                )
        missing = [c for c in criterion_ids if c not in example.expected_levels]
        if missing:
            yield (
                ("examples", index, "expected_levels"),
                f"no expected level for {', '.join(missing)}",
                "give the level 0-3 you expect for every criterion",
            )
