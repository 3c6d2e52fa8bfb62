"""The committed question bank: every file valid, the schemas fresh, the flagships, quick-fire sets and loops complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interviewer.rubric import (
    DEFAULT_RUBRICS_DIR,
    KINDS,
    SCHEMA_FILES,
    SCHEMA_HEADER,
    load_rubrics,
    schema_json,
)
from interviewer.matching.text import content_stems

SEEDS_DIR = DEFAULT_RUBRICS_DIR.parents[1] / "shared" / "seeds"
FLAGSHIPS = ["uber-eta", "youtube-recommendations", "fraud-detection"]
LOOPS = ["data-scientist-screen", "ml-engineer-screen", "research-leaning"]
BANK = load_rubrics([DEFAULT_RUBRICS_DIR])


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_is_fresh(kind):
    target = DEFAULT_RUBRICS_DIR / SCHEMA_FILES[kind]
    committed = target.read_text(encoding="utf-8")
    command = f"interviewer rubrics schema --kind {kind} -o rubrics/{SCHEMA_FILES[kind]}"
    assert committed == schema_json(kind), f"rubrics/{SCHEMA_FILES[kind]} is stale: run `{command}`"


def test_every_rubric_file_is_valid():
    assert BANK.files, "no rubric files found"
    assert [str(p) for p in BANK.problems] == []


@pytest.mark.parametrize("path", BANK.files, ids=lambda p: p.name)
def test_every_rubric_file_starts_with_the_schema_line(path: Path):
    assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_HEADER


@pytest.mark.parametrize("rubric_id", FLAGSHIPS)
def test_flagship_rubric_is_complete(rubric_id):
    rubric = BANK.rubrics[rubric_id]
    assert len(rubric.criteria) >= 6
    assert len(rubric.facts) >= 5
    assert rubric.red_flags
    assert len(rubric.model_answer) >= 5
    assert len(rubric.examples) >= 4
    levels_used = {level for example in rubric.examples for level in example.expected_levels.values()}
    assert levels_used == {0, 1, 2, 3}, "examples should span levels 0 to 3"
    means = [sum(e.expected_levels.values()) / len(e.expected_levels) for e in rubric.examples]
    assert min(means) <= 1 and max(means) >= 2.5, "examples should include a poor and a strong answer"


@pytest.mark.parametrize("rubric_id", sorted(BANK.rubrics))
def test_sources_name_seed_documents(rubric_id):
    for source in BANK.rubrics[rubric_id].sources:
        assert re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", source.file), source.file
        if SEEDS_DIR.is_dir():  # the seeds sit beside the repository in the team's checkouts and CI
            assert (SEEDS_DIR / source.file).is_file(), source.file


def test_the_three_loops_exist():
    assert set(LOOPS) <= set(BANK.loops)
    assert len({loop.role for loop in BANK.loops.values()}) == len(BANK.loops), "each loop is for a different role"


@pytest.mark.parametrize("set_id", sorted(BANK.quick_fire_sets))
def test_quick_fire_set_is_complete(set_id):
    quick_fire = BANK.quick_fire_sets[set_id]
    assert 3 <= len(quick_fire.questions) <= 15  # a set is drawn from, not run whole: 15 x 3 min is plenty
    for question in quick_fire.questions:
        assert len(question.key_points) >= 3, question.id
        levels = {example.level for example in question.examples}
        assert len(levels) >= 2 and min(levels) <= 1 and max(levels) >= 2, f"{question.id}: examples should span weak and strong"
        for point in question.key_points:
            long = [phrase for phrase in point.phrases if len(content_stems(phrase)) > 4]
            assert not long, f"{question.id}: phrases only match when all their words are said close together; shorten {long}"


def test_ml_fundamentals_covers_the_core_theory():
    questions = [q.id for q in BANK.quick_fire_sets["ml-fundamentals"].questions]
    assert 6 <= len(questions) <= 8
    assert {"bias-variance", "regularization", "gradient-descent", "mle-map", "bagging-boosting", "f1-score", "lasso-ridge"} <= set(questions)
