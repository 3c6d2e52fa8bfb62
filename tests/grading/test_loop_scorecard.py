"""The combined scorecard of an interview loop: time-weighted, skipped questions count as 0."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from interviewer.engine.state import InterviewState, Turn
from interviewer.grading.offline import OfflineGrader
from interviewer.grading.report import loop_scorecard_text
from interviewer.grading.scorecard import IntegrityFlag, RedFlagHit, Scorecard
from interviewer.practice.loop import loop_scorecard
from interviewer.rubric import Rubric, RubricBank
from interviewer.store.records import LoopQuestion, LoopRun

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


class FixedGrader:
    """Gives each question the score it was told to."""

    name = "fixed"

    def __init__(self, scores: dict[str, float], flags: dict[str, list[IntegrityFlag]] | None = None) -> None:
        self.scores, self.flags = scores, flags or {}

    def grade(self, rubric: Rubric, answer: str) -> Scorecard:
        red = [RedFlagHit(id="leak", claim="Uses the future.", why="It leaks.", quote=answer, penalty=5)] if "leak" in answer else []
        return Scorecard(question_id=rubric.id, rubric_version=rubric.version, score=self.scores[rubric.id],
                         band="lean-hire", criteria=[], flags=self.flags.get(rubric.id, []), red_flags=red, grader=self.name)

    def grade_session(self, state: InterviewState, rubric: Rubric) -> Scorecard:
        return self.grade(rubric, state.candidate_text())


def rubric(rubric_id: str, minutes: float) -> Rubric:
    template = RubricBank().get("ml-fundamentals-f1-score")
    return template.model_copy(update={"id": rubric_id, "title": f"Question {rubric_id}", "duration_minutes": minutes})


def state(rubric_id: str, *answers: str) -> InterviewState:
    turns = [Turn(role="candidate", text=text, at=NOW, intent="answer") for text in answers]
    return InterviewState(question_id=rubric_id, rubric_version=1, started_at=NOW, rubric_phase_started_at=NOW, turns=turns)


RUBRICS = [rubric("a", 30), rubric("b", 5), rubric("c", 5)]
RUN = LoopRun(loop_id="toy-loop", loop_version=2, title="Toy loop", role="data scientist",
              questions=[LoopQuestion(question_id=r.id, title=r.title, minutes=r.duration_minutes) for r in RUBRICS])


def grade_loop(run: LoopRun, rubrics: list[Rubric], states: list[InterviewState], grader) -> object:
    """Each question graded as the practice service grades it when it closes, then combined."""
    held = [(state, grader.grade_session(state, rubric) if state.turns else None) for state, rubric in zip(states, rubrics)]
    return loop_scorecard(run, held, grader.name)


def test_overall_score_is_the_duration_weighted_mean():
    card = grade_loop(RUN, RUBRICS, [state("a", "x"), state("b", "y"), state("c", "z")], FixedGrader({"a": 80, "b": 40, "c": 20}))
    assert card.score == pytest.approx((30 * 80 + 5 * 40 + 5 * 20) / 40)  # 67.5
    assert card.band == "lean-hire"
    assert (card.loop_id, card.loop_version, card.role, card.minutes, card.grader) == ("toy-loop", 2, "data scientist", 40, "fixed")
    assert [(s.question_id, s.minutes, s.score, s.skipped) for s in card.steps] == [("a", 30, 80, False), ("b", 5, 40, False), ("c", 5, 20, False)]


def test_unanswered_questions_count_as_zero_and_are_skipped():
    grader = FixedGrader({"a": 80, "b": 40, "c": 100})
    asked_only = state("b", "What do you mean?")
    asked_only.turns[0].intent = "question"
    card = grade_loop(RUN, RUBRICS, [state("a", "x"), asked_only], grader)
    assert card.score == pytest.approx(30 * 80 / 40)  # 60
    assert [s.skipped for s in card.steps] == [False, True, True]
    assert [s.score for s in card.steps] == [80, 0, 0]
    assert card.steps[1].scorecard is None and card.answered == 1
    assert card.steps[1].scorecard is None  # a question with only a clarifying question counts as skipped


def test_nothing_answered_is_zero_and_no_hire():
    card = grade_loop(RUN, RUBRICS, [], FixedGrader({}))
    assert (card.score, card.band, card.answered) == (0, "no-hire", 0)


def test_flags_are_carried_with_their_question():
    flag = IntegrityFlag(code="buzzword-list", message="Lists terms.")
    card = grade_loop(RUN, RUBRICS, [state("a", "x"), state("b", "we leak")], FixedGrader({"a": 50, "b": 50}, {"a": [flag]}))
    assert [(f.question_id, f.code) for f in card.flags] == [("a", "buzzword-list"), ("b", "red-flag:leak")]


def test_text_rendering_lists_every_question_then_each_scorecard():
    bank = RubricBank()
    rubrics = bank.loop_questions("ml-engineer-screen")
    answer = state(rubrics[1].id, "Bias is systematic error from a model that is too simple. More complex models have lower bias.")
    loop = bank.loop("ml-engineer-screen")
    run = LoopRun(loop_id=loop.id, loop_version=loop.version, title=loop.title, role=loop.role,
                  questions=[LoopQuestion(question_id=r.id, title=r.title, minutes=r.duration_minutes) for r in rubrics])
    card = grade_loop(run, rubrics, [state(rubrics[0].id), answer], OfflineGrader())
    text = loop_scorecard_text(card, rubrics)
    assert text.startswith(f"Loop scorecard: ML engineer screen (ML engineer, {card.minutes:g} min)")
    assert f"Overall {card.score:g}/100, {card.band}" in text and "1 of 6 questions answered" in text
    assert f"1. {rubrics[0].title} (35 min): skipped, counts as 0" in text
    assert f"2. {rubrics[1].title} (3 min): {card.steps[1].score:g}/100" in text
    assert "--- Question 2 of 6 ---" in text and f"Scorecard: {rubrics[1].title}" in text
    assert "--- Question 1 of 6 ---" not in text
    assert type(card).model_validate_json(card.model_dump_json()) == card
