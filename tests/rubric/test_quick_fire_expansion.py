"""Each quick-fire question becomes an ordinary rubric that the engine and the grader run unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interviewer.grading.offline import OfflineGrader
from interviewer.rubric import QuickFireSet, Rubric, expand
from interviewer.rubric.checks import cross_field_problems
from interviewer.rubric.quickfire import CLARIFICATION, KEY_POINTS
from interviewer.practice.interview import InterviewSession


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=20)
        return self.now


@pytest.fixture
def rubrics(quick_fire_data) -> list[Rubric]:
    quick_fire_data["questions"][0]["title"] = "What bias is"
    quick_fire_data["questions"][0]["hint"] = "Think of a model that is too simple."
    return expand(QuickFireSet.model_validate(quick_fire_data))


def test_expanded_question_is_a_valid_rubric(rubrics):
    bias, variance = rubrics
    for rubric in rubrics:
        again = Rubric.model_validate(rubric.model_dump(by_alias=True))
        assert again == rubric
        assert cross_field_problems(rubric) == []
    assert (bias.id, bias.title, variance.title) == ("toy-set-bias", "Toy set: What bias is", "Toy set: Variance")
    assert (bias.category, bias.difficulty, bias.duration_minutes, bias.version) == ("theory", "easy", 3, 1)
    assert bias.prompt == "Explain bias." and bias.facts == [CLARIFICATION]
    assert bias.sources[0].question == "2. What is bias?"
    [criterion] = bias.criteria
    assert criterion.id == KEY_POINTS and criterion.weight == 1
    assert [c.name for c in criterion.concepts] == ["first idea", "second idea", "third idea"]
    assert criterion.follow_ups == ["What else matters?"] and criterion.hint == "Think of a model that is too simple."
    assert "first idea; second idea; third idea" in criterion.levels.strong
    assert [(e.id, e.expected_levels) for e in bias.examples] == [
        ("example-1-level-2", {KEY_POINTS: 2}), ("example-2-level-0", {KEY_POINTS: 0})
    ]


def test_a_question_can_name_its_own_sources(quick_fire_data):
    quick_fire_data["questions"][1]["sources"] = [{"file": "001_seed.txt", "question": "3. What is variance?"}]
    bias, variance = expand(QuickFireSet.model_validate(quick_fire_data))
    assert bias.sources[0].file == "000_seed.txt" and variance.sources[0].file == "001_seed.txt"


def test_expanded_question_runs_through_an_interview_to_a_scorecard(rubrics):
    session = InterviewSession(rubrics[0], clock=Clock())
    list(session.open())
    turns = [
        "Can I assume a linear model?",
        "Bias is a systematic error.",
        "It also depends on the training sample, and you check it on held out data.",
        "Nothing more.",
    ]
    spoken = []
    for turn in turns:
        *_, said = session.reply(turn)
        spoken.append(said)
    assert session.transcript().splitlines()[0] == "Interviewer: Explain bias."
    assert spoken[0] == CLARIFICATION.answer
    assert spoken[1].endswith("What else matters?")  # the follow-up, as one key point is not enough
    assert "anything you'd add" in spoken[2]
    assert session.finished
    card = OfflineGrader().grade_session(session.state, session.rubric)
    assert card.question_id == "toy-set-bias"
    assert [(c.id, c.level) for c in card.criteria] == [(KEY_POINTS, 3)]
    assert card.band == "strong-hire"


def test_a_hint_comes_from_the_question(rubrics):
    session = InterviewSession(rubrics[0], clock=Clock())
    list(session.open())
    *_, said = session.reply("Could I have a hint?")
    assert said.endswith("Think of a model that is too simple.")
