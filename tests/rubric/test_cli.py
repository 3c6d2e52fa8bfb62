"""`interviewer rubrics validate` and `interviewer rubrics schema`, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from interviewer.rubric import rubric_schema_json, schema_json


def interviewer(*args: str, cwd=None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "interviewer.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=timeout)


def test_validate_exits_0_when_every_file_is_valid(write_rubric, rubric_data, tmp_path):
    write_rubric(rubric_data)
    run = interviewer("rubrics", "validate", str(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == ""
    assert "1 valid, 0 with problems" in run.stderr


def test_validate_prints_one_line_per_problem_and_exits_1(write_rubric, rubric_data, tmp_path):
    rubric_data["criteria"][0]["weight"] = 0
    rubric_data["difficulty"] = "brutal"
    write_rubric(rubric_data)
    write_rubric("title: [\n", name="other.yaml")
    run = interviewer("rubrics", "validate", str(tmp_path / "toy-question.yaml"), str(tmp_path / "other.yaml"))
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert len(lines) == 3
    assert any("toy-question.yaml" in line and "criteria[0].weight: must be greater than 0" in line for line in lines)
    assert any("toy-question.yaml" in line and "difficulty: 'brutal' is not allowed" in line for line in lines)
    assert any(line.startswith(str(tmp_path / "other.yaml") + ":2:1: YAML syntax error") for line in lines)


def test_validate_with_no_rubric_files_fails(tmp_path):
    run = interviewer("rubrics", "validate", str(tmp_path))
    assert run.returncode == 1
    assert "no rubric files found" in run.stderr


def test_schema_is_written_to_stdout_and_to_a_file(tmp_path):
    run = interviewer("rubrics", "schema")
    assert run.returncode == 0
    assert json.loads(run.stdout)["title"] == "Interview question rubric"
    target = tmp_path / "schema.json"
    assert interviewer("rubrics", "schema", "-o", str(target)).returncode == 0
    assert target.read_text() == rubric_schema_json()


@pytest.mark.parametrize(("kind", "title"), [("quick-fire", "Quick-fire question set"), ("loop", "Interview loop")])
def test_schema_of_each_kind(tmp_path, kind, title):
    run = interviewer("rubrics", "schema", "--kind", kind)
    assert run.returncode == 0
    assert json.loads(run.stdout)["title"] == title
    target = tmp_path / "schema.json"
    assert interviewer("rubrics", "schema", "--kind", kind, "-o", str(target)).returncode == 0
    assert target.read_text() == schema_json(kind)


def test_validate_covers_sets_and_loops(write_bank, loop_data):
    loop_data["steps"][1]["quick_fire"] = "toy-sets"
    root = write_bank(loop=loop_data)
    run = interviewer("rubrics", "validate", str(root))
    assert run.returncode == 1
    [line] = run.stdout.splitlines()
    assert line.startswith(str(root / "loops" / "toy-loop.yaml") + ":7:")
    assert "steps[1].quick_fire: unknown quick-fire set 'toy-sets'. Fix: did you mean 'toy-set'?" in line
    assert "checked 3 rubric file(s): 2 valid, 1 with problems" in run.stderr


def test_calibrate_prints_agreement_with_the_examples_and_a_labelled_file(tmp_path):
    labelled = tmp_path / "labelled.yaml"
    labelled.write_text(
        "answers:\n"
        "  - {id: a, question: uber-eta, level: 1, text: 'I would ask my manager.'}\n"
        "  - {id: b, question: not-a-question, level: 2, text: 'Ignored: no such question.'}\n",
        encoding="utf-8",
    )
    # It loads the embedding model and grades every example: slower than the other commands.
    run = interviewer("rubrics", "calibrate", "uber-eta", "fraud-detection", "--answers", str(labelled), timeout=300)
    lines = run.stdout.splitlines()
    assert any(line.strip().startswith("uber-eta: exact ") and "within one" in line for line in lines)
    assert any(line.strip().startswith("all rubrics: exact ") for line in lines)
    assert "labelled.yaml: exact 1/1 (100%)" in run.stdout  # a one-line answer is a no-hire
    low = any("below 3/4 exact" in line for line in lines)
    assert run.returncode == (1 if low else 0)


def test_calibrate_names_an_unknown_question():
    run = interviewer("rubrics", "calibrate", "no-such-question")
    assert run.returncode == 2 and "no-such-question" in run.stderr
