"""Every class of rubric error is reported with the file, the field path and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewer.rubric import RubricProblem, load_rubric_file, load_rubrics


def only_problem(path: Path) -> RubricProblem:
    rubric, problems = load_rubric_file(path)
    assert rubric is None
    assert len(problems) == 1, [str(p) for p in problems]
    assert problems[0].file.endswith(path.name)
    assert path.name in str(problems[0])
    return problems[0]


def test_minimal_rubric_loads(write_rubric, rubric_data):
    rubric, problems = load_rubric_file(write_rubric(rubric_data))
    assert problems == []
    assert rubric.id == "toy-question"
    assert rubric.criteria[0].levels.descriptor(3) == "Explained with trade-offs."
    assert rubric.version == 1


def test_unknown_top_level_key_suggests_the_right_one(write_rubric, rubric_data):
    rubric_data["titel"] = rubric_data.pop("title")
    rubric, problems = load_rubric_file(write_rubric(rubric_data))
    messages = {p.location: p for p in problems}
    assert messages["titel"].message == "unknown key 'titel'"
    assert "did you mean 'title'" in messages["titel"].fix
    assert messages["title"].message == "missing required key 'title'"


def test_unknown_nested_key_names_its_path(write_rubric, rubric_data):
    rubric_data["criteria"][1]["wieght"] = 3
    problem = only_problem(write_rubric(rubric_data))
    assert problem.location == "criteria[1].wieght"
    assert "did you mean 'weight'" in problem.fix
    assert "follow_ups" in problem.fix  # lists the keys allowed there


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("duration_minutes", "half an hour", "expected a number, got a text ('half an hour')"),
        ("prompt", True, "expected text, got a true/false value (True)"),
        ("facts", "ten years of data", "expected a list, got a text ('ten years of data')"),
        ("category", "brainteaser", "'brainteaser' is not allowed"),
    ],
)
def test_wrong_types_are_named(write_rubric, rubric_data, field, value, expected):
    rubric_data[field] = value
    problem = only_problem(write_rubric(rubric_data))
    assert problem.location == field
    assert problem.message == expected
    assert problem.fix


def test_yes_no_read_as_booleans_get_a_quoting_fix(write_rubric, rubric_data):
    rubric_data["facts"][0]["answer"] = True
    problem = only_problem(write_rubric(rubric_data))
    assert problem.location == "facts[0].answer"
    assert "quotes" in problem.fix


def test_duplicate_criterion_ids(write_rubric, rubric_data):
    rubric_data["criteria"][1]["id"] = "framing"
    rubric_data["examples"][0]["expected_levels"] = {"framing": 2}
    problem = only_problem(write_rubric(rubric_data))
    assert problem.location == "criteria[1].id"
    assert problem.message == "duplicate id 'framing' (already used by criteria[0])"


@pytest.mark.parametrize("weight", [0, -1])
def test_weight_must_be_positive(write_rubric, rubric_data, weight):
    rubric_data["criteria"][1]["weight"] = weight
    problem = only_problem(write_rubric(rubric_data))
    assert problem.location == "criteria[1].weight"
    assert problem.message == f"must be greater than 0 (got {weight})"
    assert "Relative importance" in problem.fix


def test_missing_level_descriptor(write_rubric, rubric_data):
    del rubric_data["criteria"][0]["levels"][3]
    problem = only_problem(write_rubric(rubric_data))
    assert problem.location == "criteria[0].levels.3"
    assert problem.message == "missing required key '3'"
    assert "strong hire" in problem.fix


def test_id_must_match_file_name(write_rubric, rubric_data):
    problem = only_problem(write_rubric(rubric_data, name="weather.yaml"))
    assert problem.location == "id"
    assert "does not match the file name 'weather.yaml'" in problem.message
    assert "rename the file to toy-question.yaml" in problem.fix


def test_invalid_slug(write_rubric, rubric_data):
    rubric_data["criteria"][0]["id"] = "Framing Step"
    rubric_data["examples"][0]["expected_levels"] = {"Framing Step": 1, "metrics": 1}
    _, problems = load_rubric_file(write_rubric(rubric_data))
    assert [p.location for p in problems] == ["criteria[0].id", "examples[0].expected_levels.Framing Step.[key]"]
    assert "lowercase letters" in problems[0].fix


def test_yaml_syntax_error_gives_line_and_column(write_rubric):
    path = write_rubric("id: toy-question\ntitle: A toy\ncriteria:\n  - id: framing\n   name: bad indent\n")
    problem = only_problem(path)
    assert problem.message.startswith("YAML syntax error")
    assert (problem.line, problem.column) == (5, 4)
    assert str(problem).startswith(f"{problem.file}:5:4:")


def test_duplicate_yaml_key_is_reported_with_its_line(write_rubric, rubric_data):
    import yaml

    text = yaml.safe_dump(rubric_data, sort_keys=False).replace("title: A toy question\n", "title: A toy question\ntitle: Another\n")
    _, problems = load_rubric_file(write_rubric(text))
    assert len(problems) == 1
    assert problems[0].message == "key 'title' appears twice (first on line 2)"
    assert problems[0].line == 3


def test_problem_points_at_the_line_of_the_field(write_rubric, rubric_data):
    rubric_data["criteria"][1]["weight"] = -2
    path = write_rubric(rubric_data)
    problem = only_problem(path)
    line = path.read_text().splitlines()[problem.line - 1]
    assert line.strip() == "weight: -2"


def test_example_levels_must_name_existing_criteria(write_rubric, rubric_data):
    rubric_data["examples"][0]["expected_levels"] = {"framing": 2, "metric": 1}
    _, problems = load_rubric_file(write_rubric(rubric_data))
    assert [(p.location, p.message) for p in problems] == [
        ("examples[0].expected_levels.metric", "unknown criterion 'metric'"),
        ("examples[0].expected_levels", "no expected level for metrics"),
    ]


def test_example_level_out_of_range(write_rubric, rubric_data):
    rubric_data["examples"][0]["expected_levels"]["metrics"] = 4
    problem = only_problem(write_rubric(rubric_data))
    assert problem.location == "examples[0].expected_levels.metrics"
    assert problem.message == "must be less than or equal to 3 (got 4)"


def test_phases_must_fit_the_duration_and_name_criteria(write_rubric, rubric_data):
    rubric_data["phases"] = [
        {"name": "clarify", "minutes": 15, "focus": ["framing"]},
        {"name": "evaluate", "minutes": 10, "focus": ["metric"]},
    ]
    _, problems = load_rubric_file(write_rubric(rubric_data))
    assert [p.location for p in problems] == ["phases[1].focus[0]", "phases"]
    assert "add up to 25 minutes, more than duration_minutes (20)" in problems[1].message


@pytest.mark.parametrize(("text", "message"), [("", "the file is empty"), ("- a\n- b\n", "the file is a list, not a mapping of keys")])
def test_file_that_is_not_a_mapping(write_rubric, text, message):
    assert only_problem(write_rubric(text)).message == message


def test_all_problems_in_all_files_in_one_run(write_rubric, rubric_data, tmp_path):
    write_rubric(rubric_data)
    broken = dict(rubric_data, id="broken-one", duration_minutes=-5)
    write_rubric(broken, name="broken-one.yaml")
    write_rubric("id: [unclosed\n", name="broken-two.yaml")
    result = load_rubrics([tmp_path])
    assert list(result.rubrics) == ["toy-question"]
    assert sorted(Path(p.file).name for p in result.problems) == ["broken-one.yaml", "broken-two.yaml"]
    assert len(result.files) == 3


def test_same_id_in_two_folders_is_reported(write_rubric, rubric_data, tmp_path):
    write_rubric(rubric_data, folder=tmp_path / "a")
    write_rubric(rubric_data, folder=tmp_path / "b")
    result = load_rubrics([tmp_path])
    assert list(result.rubrics) == ["toy-question"]
    [problem] = result.problems
    assert problem.file.endswith("b/toy-question.yaml")
    assert "already used by" in problem.message and "a/toy-question.yaml" in problem.message


def test_missing_file(tmp_path):
    problem = only_problem(tmp_path / "nope.yaml")
    assert problem.message == "no such file"


def test_techniques_must_name_an_existing_criterion_and_have_their_own_ids(write_rubric, rubric_data):
    technique = {"id": "boosting", "name": "gradient boosting", "phrases": ["xgboost"], "criterion": "metric",
                 "follow_ups": ["Why boosting rather than a linear model here?"]}
    rubric_data["techniques"] = [technique, {**technique, "criterion": "framing"}]
    _, problems = load_rubric_file(write_rubric(rubric_data))
    assert [(p.location, p.message) for p in problems] == [
        ("techniques[1].id", "duplicate id 'boosting' (already used by techniques[0])"),
        ("techniques[0].criterion", "unknown criterion 'metric'"),
    ]
    assert "use one of the criterion ids: framing, metrics" in str(problems[1])
