"""A loop in progress: questions one after another, moving on at a natural close or on request."""

from __future__ import annotations

import pytest

from interviewer.engine.loop_state import LoopProgress
from interviewer.grading.offline import OfflineGrader
from interviewer.loop_session import NEXT_QUESTION, LoopSession
from interviewer.voice.templates import CLOSE, WRAP_UP

from support import SteppingClock

LOOP_ID = "ml-engineer-screen"


@pytest.fixture
def run(bank) -> LoopSession:
    return LoopSession(bank.loop(LOOP_ID), bank.loop_questions(LOOP_ID), clock=SteppingClock())


def say(run: LoopSession, text: str) -> str:
    *_, spoken = run.reply(text)
    return spoken


def opening(run: LoopSession) -> str:
    *_, spoken = run.next_question() if run.index >= 0 else run.open()
    return spoken


def test_questions_come_in_order_and_a_natural_close_hands_over(run):
    assert opening(run) == run.rubrics[0].prompt and run.index == 0
    assert opening(run) == run.rubrics[1].prompt  # /next: the case study is left unanswered
    assert say(run, "Bias is systematic error from a model that is too simple, which underfits. "
                    "Variance is sensitivity to the training data. More complex models have lower bias and higher variance.").endswith("wrap up?")
    assert say(run, "No, that's all.") == NEXT_QUESTION
    assert run.question_finished and not run.finished and run.has_next
    assert opening(run) == run.rubrics[2].prompt
    assert [s.question_id for s in run.states] == [r.id for r in run.rubrics[:3]]
    assert all(s.phase == "scored" for s in run.states[:2]) and run.states[2].phase == "intro"


def test_the_last_question_closes_the_interview_and_the_loop(run):
    for _ in run.rubrics:
        opening(run)
    assert run.index == len(run.rubrics) - 1
    assert say(run, "F1 is the harmonic mean of precision and recall.").endswith(run.rubric.criteria[0].follow_ups[0])
    assert say(run, "That's all.") == WRAP_UP
    assert say(run, "No.") == CLOSE  # the last question: no hand-over
    assert run.question_finished and not run.has_next
    assert list(run.next_question()) == []
    assert run.finished and len(run.states) == len(run.rubrics)
    with pytest.raises(RuntimeError, match="over"):
        list(run.reply("more"))


def test_ending_early_grades_what_was_answered(run):
    opening(run)
    say(run, "I'd frame it as binary classification of each order at order time, with past no-shows as features.")
    progress = run.end()
    assert progress.ended and len(progress.states) == 1 and progress.states[0].phase == "scored"
    card = run.grade(OfflineGrader())
    assert [s.skipped for s in card.steps] == [False] + [True] * 5
    assert card.steps[0].score > 0 and card.score == pytest.approx(round(card.steps[0].score * 35 / 50, 1), abs=0.1)


def test_a_loop_resumes_from_its_saved_progress(bank, run):
    opening(run)
    opening(run)
    saved = LoopProgress.model_validate_json(run.progress.model_dump_json())
    again = LoopSession(bank.loop(LOOP_ID), bank.loop_questions(LOOP_ID), clock=SteppingClock(), progress=saved)
    assert again.index == 1 and again.rubric.id == run.rubrics[1].id
    assert say(again, "Bias means underfitting.").endswith("?")
    assert len(again.progress.states[1].turns) == 3
    with pytest.raises(ValueError, match="has changed"):
        LoopSession(bank.loop(LOOP_ID), bank.loop_questions(LOOP_ID)[:3], progress=saved)
