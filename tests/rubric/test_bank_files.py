"""The committed question bank: every file valid, the schema fresh, the flagships complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interviewer.rubric import DEFAULT_RUBRICS_DIR, SCHEMA_HEADER, load_rubrics, rubric_schema_json

SEEDS_DIR = DEFAULT_RUBRICS_DIR.parents[1] / "shared" / "seeds"
FLAGSHIPS = ["uber-eta", "youtube-recommendations", "fraud-detection"]
BANK = load_rubrics([DEFAULT_RUBRICS_DIR])


def test_committed_schema_is_fresh():
    committed = (DEFAULT_RUBRICS_DIR / "schema.json").read_text(encoding="utf-8")
    assert committed == rubric_schema_json(), "rubrics/schema.json is stale: run `interviewer rubrics schema -o rubrics/schema.json`"


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
