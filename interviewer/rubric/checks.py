"""Checks that span several fields of a file, or several files, run once the structure is valid.

Each check yields (location, message, fix), with the location as a pydantic-style tuple so
the loader can point at the line in the file.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from interviewer.rubric.loops import Loop
from interviewer.rubric.models import Rubric
from interviewer.rubric.quickfire import QuickFireSet, expand_question, expanded_id

MAX_ID_LENGTH = 80  # the length limit of an id (Slug)

Finding = tuple[tuple[Any, ...], str, str]


def cross_field_problems(rubric: Rubric) -> list[Finding]:
    return [
        *_duplicate_ids(rubric),
        *_phase_problems(rubric),
        *_technique_problems(rubric),
        *_example_problems(rubric),
    ]


def _duplicate_ids(rubric: Rubric) -> Iterator[Finding]:
    for section in ("facts", "criteria", "red_flags", "techniques", "examples"):
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


def _technique_problems(rubric: Rubric) -> Iterator[Finding]:
    criterion_ids = [c.id for c in rubric.criteria]
    for index, technique in enumerate(rubric.techniques):
        if technique.criterion not in criterion_ids:
            yield (
                ("techniques", index, "criterion"),
                f"unknown criterion '{technique.criterion}'",
                f"use one of the criterion ids: {', '.join(criterion_ids)}",
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


def quick_fire_problems(quick_fire: QuickFireSet) -> list[Finding]:
    return [*_duplicate_questions(quick_fire), *_expansion_problems(quick_fire)]


def _duplicate_questions(quick_fire: QuickFireSet) -> Iterator[Finding]:
    first_index: dict[str, int] = {}
    for index, question in enumerate(quick_fire.questions):
        if question.id in first_index:
            yield (
                ("questions", index, "id"),
                f"duplicate id '{question.id}' (already used by questions[{first_index[question.id]}])",
                "give each question of the set its own id",
            )
        else:
            first_index[question.id] = index
        names: dict[str, int] = {}
        for position, point in enumerate(question.key_points):
            if point.name.lower() in names:
                yield (
                    ("questions", index, "key_points", position, "name"),
                    f"key point '{point.name}' is listed twice (already key_points[{names[point.name.lower()]}])",
                    "merge their phrases into one key point",
                )
            else:
                names[point.name.lower()] = position


def _expansion_problems(quick_fire: QuickFireSet) -> Iterator[Finding]:
    for index, question in enumerate(quick_fire.questions):
        full_id = expanded_id(quick_fire.id, question.id)
        if len(full_id) > MAX_ID_LENGTH:
            yield (
                ("questions", index, "id"),
                f"the question's full id '{full_id}' is longer than {MAX_ID_LENGTH} characters",
                "shorten the question id or the set id",
            )
            continue
        try:
            expand_question(quick_fire, question)
        except ValidationError as error:  # the set's own fields are checked first, so this is a safety net
            yield (("questions", index), f"cannot be run as a question ({error.errors()[0]['msg']})", "compare with an existing quick-fire set")


def loop_reference_problems(
    loop: Loop,
    rubrics: Mapping[str, Rubric],
    quick_fire_sets: Mapping[str, QuickFireSet],
    broken: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Steps naming questions or sets that do not exist, asking for more questions than a set holds,
    or asking the same question twice. `broken` maps the ids of files that failed to load to their
    paths, so a step naming one is told to fix that file rather than that the id is unknown."""
    broken = broken or {}
    findings: list[Finding] = []
    asked: dict[str, int] = {}
    for index, step in enumerate(loop.steps):
        if step.question:
            if step.question not in rubrics and step.question in broken:
                findings.append(_broken(("steps", index, "question"), f"question '{step.question}'", broken[step.question]))
                continue
            if step.question not in rubrics:
                findings.append((("steps", index, "question"), f"unknown question '{step.question}'",
                                 _suggest(step.question, rubrics, "a rubric id (a file name in rubrics/ without .yaml)")))
                continue
            ids = [step.question]
        else:
            set_id = step.quick_fire or ""  # a step without a question has a set: the model checks it
            quick_fire = quick_fire_sets.get(set_id)
            if quick_fire is None and set_id in broken:
                findings.append(_broken(("steps", index, "quick_fire"), f"quick-fire set '{set_id}'", broken[set_id]))
                continue
            if quick_fire is None:
                findings.append((("steps", index, "quick_fire"), f"unknown quick-fire set '{set_id}'",
                                 _suggest(set_id, quick_fire_sets, "the id of a set in rubrics/quickfire/")))
                continue
            if step.count is not None and step.count > len(quick_fire.questions):
                findings.append((("steps", index, "count"),
                                 f"the set '{quick_fire.id}' has only {len(quick_fire.questions)} questions",
                                 f"ask for at most {len(quick_fire.questions)}, or leave out 'count' to ask them all"))
            ids = quick_fire.question_ids(step.count)
        for question_id in ids:
            if question_id in asked:
                findings.append((("steps", index), f"question '{question_id}' is already asked by steps[{asked[question_id]}]",
                                 "ask each question once per loop"))
            else:
                asked[question_id] = index
    return findings


def _broken(loc: tuple[Any, ...], what: str, path: str) -> Finding:
    return loc, f"{what} is not loaded because {path} has problems", f"fix the problems reported for {path}"


def _suggest(wrong: str, known: Mapping[str, Any], kind: str) -> str:
    close = difflib.get_close_matches(wrong, list(known), n=3)
    if close:
        return f"did you mean {' or '.join(repr(c) for c in close)}? Use {kind}"
    return f"use {kind}" + (f", e.g. {', '.join(sorted(known)[:5])}" if known else "")
