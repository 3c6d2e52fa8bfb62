"""Quick-fire sets and loops: the same strictness and the same precise errors as question files,
plus the checks that span files (a loop's steps must name questions and sets that exist)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from interviewer.rubric import (
    Loop,
    QuickFireSet,
    Rubric,
    RubricBank,
    RubricProblem,
    load_rubric_file,
    load_rubrics,
)


def only_problem(path: Path) -> RubricProblem:
    loaded, problems = load_rubric_file(path)
    assert loaded is None
    assert len(problems) == 1, [str(p) for p in problems]
    assert path.name in str(problems[0])
    return problems[0]


@pytest.fixture
def write_set(write_rubric, tmp_path):
    return lambda data, name="toy-set.yaml": write_rubric(data, name=name, folder=tmp_path / "quickfire")


@pytest.fixture
def write_loop(write_rubric, tmp_path):
    return lambda data, name="toy-loop.yaml": write_rubric(data, name=name, folder=tmp_path / "loops")


# Quick-fire sets


def test_the_folder_decides_the_kind(write_set, write_loop, quick_fire_data, loop_data):
    quick_fire, problems = load_rubric_file(write_set(quick_fire_data))
    assert problems == [] and isinstance(quick_fire, QuickFireSet)
    assert quick_fire.minutes_per_question == 3 and quick_fire.question_ids() == ["toy-set-bias", "toy-set-variance"]
    loop, problems = load_rubric_file(write_loop(loop_data))
    assert problems == [] and isinstance(loop, Loop)


def test_a_set_outside_quickfire_is_read_as_a_question(write_rubric, quick_fire_data):
    _, problems = load_rubric_file(write_rubric(quick_fire_data, name="toy-set.yaml"))
    assert ("questions", "unknown key 'questions'") in {(p.location, p.message) for p in problems}


def test_unknown_key_in_a_question_suggests_the_right_one(write_set, quick_fire_data):
    quick_fire_data["questions"][1]["folow_up"] = quick_fire_data["questions"][1].pop("follow_up")
    loaded, problems = load_rubric_file(write_set(quick_fire_data))
    by_location = {p.location: p for p in problems}
    assert loaded is None
    assert by_location["questions[1].folow_up"].message == "unknown key 'folow_up'"
    assert "did you mean 'follow_up'" in by_location["questions[1].folow_up"].fix
    assert "key_points" in by_location["questions[1].folow_up"].fix  # lists the keys allowed there
    assert by_location["questions[1].follow_up"].message == "missing required key 'follow_up'"


@pytest.mark.parametrize(
    ("change", "location", "message"),
    [
        (lambda d: d.update(minutes_per_question="three"), "minutes_per_question", "expected a number, got a text ('three')"),
        (lambda d: d.update(difficulty="brutal"), "difficulty", "'brutal' is not allowed"),
        (lambda d: d["questions"][0].update(key_points="bias"), "questions[0].key_points", "expected a list, got a text ('bias')"),
        (lambda d: d["questions"][0].update(key_points=d["questions"][0]["key_points"][:1]), "questions[0].key_points", "needs at least 2 items"),
        (lambda d: d["questions"][0].update(model_answer=[f"Point {n}." for n in range(6)]), "questions[0].model_answer",
         "has 6 items, at most 5 allowed"),
        (lambda d: d["questions"][1].update(examples=d["questions"][1]["examples"][:1]), "questions[1].examples", "needs at least 2 items"),
        (lambda d: d["questions"][1]["examples"][0].update(level=4), "questions[1].examples[0].level",
         "must be less than or equal to 3 (got 4)"),
        (lambda d: d["questions"][0]["key_points"][0].update(phrases=True), "questions[0].key_points[0].phrases",
         "expected a list, got a true/false value (True)"),
    ],
)
def test_wrong_values_in_a_set_are_named(write_set, quick_fire_data, change, location, message):
    change(quick_fire_data)
    problem = only_problem(write_set(quick_fire_data))
    assert (problem.location, problem.message) == (location, message)
    assert problem.fix


def test_duplicate_question_ids(write_set, quick_fire_data):
    quick_fire_data["questions"][1]["id"] = "bias"
    problem = only_problem(write_set(quick_fire_data))
    assert problem.location == "questions[1].id"
    assert problem.message == "duplicate id 'bias' (already used by questions[0])"


def test_duplicate_key_point(write_set, quick_fire_data):
    quick_fire_data["questions"][0]["key_points"][2]["name"] = "First idea"
    problem = only_problem(write_set(quick_fire_data))
    assert problem.location == "questions[0].key_points[2].name"
    assert "listed twice" in problem.message


def test_set_id_must_match_file_name(write_set, quick_fire_data):
    problem = only_problem(write_set(quick_fire_data, name="other.yaml"))
    assert problem.location == "id"
    assert "rename the file to toy-set.yaml" in problem.fix


def test_problem_points_at_the_line_of_the_field(write_set, quick_fire_data):
    quick_fire_data["questions"][1]["examples"][1]["level"] = -1
    path = write_set(quick_fire_data)
    problem = only_problem(path)
    assert path.read_text().splitlines()[problem.line - 1].strip() == "level: -1"
    assert str(problem).startswith(f"{problem.file}:{problem.line}:{problem.column}: questions[1].examples[1].level:")


def test_yaml_errors_in_a_set(write_set, quick_fire_data):
    assert only_problem(write_set("id: toy-set\nquestions:\n  - id: a\n   prompt: bad\n")).message.startswith("YAML syntax error")
    text = yaml.safe_dump(quick_fire_data, sort_keys=False).replace("title: Toy set\n", "title: Toy set\ntitle: Again\n")
    assert only_problem(write_set(text)).message == "key 'title' appears twice (first on line 2)"
    assert "quick-fire set" in only_problem(write_set("- a\n")).fix


def test_full_question_id_must_fit(write_set, quick_fire_data):
    quick_fire_data["questions"][0]["id"] = "a" * 75
    problem = only_problem(write_set(quick_fire_data))
    assert problem.location == "questions[0].id"
    assert "longer than 80 characters" in problem.message


def test_full_question_id_must_not_clash_with_a_question_file(write_bank, write_rubric, rubric_data, quick_fire_data):
    root = write_bank()
    write_rubric(dict(rubric_data, id="toy-set-variance"), name="toy-set-variance.yaml", folder=root)
    result = load_rubrics([root])
    clash = [p for p in result.problems if "toy-set-variance" in p.message]
    assert len(clash) == 1
    assert clash[0].file.endswith(("toy-set.yaml", "toy-set-variance.yaml"))
    assert "already used by" in clash[0].message


# Loops


@pytest.mark.parametrize(
    ("step", "message", "fix"),
    [
        ({"question": "toy-question", "quick_fire": "toy-set"}, "a step has both 'question' and 'quick_fire'", "split it into two steps"),
        ({"count": 2}, "a step needs 'question' or 'quick_fire'", "'- question: ID'"),
        ({"question": "toy-question", "count": 2}, "'count' only goes with 'quick_fire'", "remove 'count'"),
    ],
)
def test_a_step_is_one_question_or_one_set(write_loop, loop_data, step, message, fix):
    loop_data["steps"][1] = step
    problem = only_problem(write_loop(loop_data))
    assert (problem.location, problem.message) == ("steps[1]", message)
    assert fix in problem.fix
    assert problem.line == 7  # the line of the step


def test_unknown_key_in_a_step(write_loop, loop_data):
    loop_data["steps"][1] = {"quickfire": "toy-set"}
    _, problems = load_rubric_file(write_loop(loop_data))
    unknown = next(p for p in problems if p.location == "steps[1].quickfire")
    assert "did you mean 'quick_fire'" in unknown.fix


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("role", 3, "expected text, got a number (3)"), ("steps", [], "needs at least 1 item"), ("version", 0, "must be greater than or equal to 1 (got 0)")],
)
def test_wrong_values_in_a_loop_are_named(write_loop, loop_data, field, value, message):
    loop_data[field] = value
    problem = only_problem(write_loop(loop_data))
    assert (problem.location, problem.message) == (field, message)


def test_count_must_be_positive(write_loop, loop_data):
    loop_data["steps"][1]["count"] = 0
    problem = only_problem(write_loop(loop_data))
    assert (problem.location, problem.message) == ("steps[1].count", "must be greater than or equal to 1 (got 0)")


def test_a_valid_bank_loads_every_kind(write_bank):
    root = write_bank()
    bank = RubricBank(root)
    assert bank.problems == []
    assert sorted(bank.rubrics) == ["toy-question", "toy-set-bias", "toy-set-variance"]
    assert list(bank.quick_fire_sets) == ["toy-set"] and list(bank.loops) == ["toy-loop"]
    assert [r.id for r in bank.loop_questions("toy-loop")] == ["toy-question", "toy-set-bias"]
    assert bank.loop_minutes("toy-loop") == 20 + 3
    assert bank.path_of("toy-set-bias") == root / "quickfire" / "toy-set.yaml"
    assert bank.path_of("toy-loop") == root / "loops" / "toy-loop.yaml"
    assert isinstance(bank.get("toy-set-bias"), Rubric)
    with pytest.raises(KeyError, match="no loop with id 'nope' \\(known: toy-loop\\)"):
        bank.loop("nope")


def loop_problems(root: Path) -> list[RubricProblem]:
    result = load_rubrics([root])
    assert "toy-loop" not in result.loops  # a loop with a dangling step is left out
    return [p for p in result.problems if p.file.endswith("toy-loop.yaml")]


def test_unknown_question_in_a_loop(write_bank, loop_data):
    loop_data["steps"][0]["question"] = "toy-questoin"
    root = write_bank(loop=loop_data)
    [problem] = loop_problems(root)
    assert (problem.location, problem.message) == ("steps[0].question", "unknown question 'toy-questoin'")
    assert "did you mean 'toy-question'" in problem.fix
    line = (root / "loops" / "toy-loop.yaml").read_text().splitlines()[problem.line - 1]
    assert line.strip() == "- question: toy-questoin"


def test_unknown_quick_fire_set_in_a_loop(write_bank, loop_data):
    loop_data["steps"][1]["quick_fire"] = "ml-basics"
    [problem] = loop_problems(write_bank(loop=loop_data))
    assert (problem.location, problem.message) == ("steps[1].quick_fire", "unknown quick-fire set 'ml-basics'")
    assert "rubrics/quickfire/" in problem.fix and "toy-set" in problem.fix


def test_loop_asks_for_more_questions_than_the_set_has(write_bank, loop_data):
    loop_data["steps"][1]["count"] = 5
    [problem] = loop_problems(write_bank(loop=loop_data))
    assert (problem.location, problem.message) == ("steps[1].count", "the set 'toy-set' has only 2 questions")


def test_loop_asks_a_question_twice(write_bank, loop_data):
    loop_data["steps"].append({"question": "toy-set-bias"})
    [problem] = loop_problems(write_bank(loop=loop_data))
    assert (problem.location, problem.message) == ("steps[2]", "question 'toy-set-bias' is already asked by steps[1]")


def test_a_loop_can_name_one_quick_fire_question(write_bank, loop_data):
    loop_data["steps"] = [{"question": "toy-set-variance"}, {"question": "toy-question"}]
    bank = RubricBank(write_bank(loop=loop_data))
    assert [r.id for r in bank.loop_questions("toy-loop")] == ["toy-set-variance", "toy-question"]


def test_a_loop_naming_a_broken_file_says_which_file_to_fix(write_bank, quick_fire_data, rubric_data):
    quick_fire_data["minutes_per_question"] = -1
    rubric_data["duration_minutes"] = -1
    result = load_rubrics([write_bank(question=rubric_data, quick_fire=quick_fire_data)])
    assert result.loops == {}
    loop_problems = [p for p in result.problems if p.file.endswith("toy-loop.yaml")]
    assert [(p.location, p.message.split(" is not loaded because ")[0]) for p in loop_problems] == [
        ("steps[0].question", "question 'toy-question'"), ("steps[1].quick_fire", "quick-fire set 'toy-set'")
    ]
    assert loop_problems[1].message.endswith("quickfire/toy-set.yaml has problems")
    assert loop_problems[1].fix.startswith("fix the problems reported for ")


def test_a_loop_file_checked_alone_is_checked_against_its_bank(write_bank, loop_data):
    root = write_bank()
    assert load_rubrics([root / "loops" / "toy-loop.yaml"]).problems == []
    loop_data["steps"][0]["question"] = "missing"
    write_bank(loop=loop_data)
    [problem] = load_rubrics([root / "loops" / "toy-loop.yaml"]).problems
    assert problem.message == "unknown question 'missing'"
