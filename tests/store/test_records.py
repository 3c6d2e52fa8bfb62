from __future__ import annotations

import pytest
from pydantic import ValidationError

from interviewer.store import LoopQuestion, LoopRun


def run(**fields: object) -> LoopRun:
    questions = [LoopQuestion(question_id="uber-eta", title="Pickup ETA", minutes=30, rubric_ref=None)]
    return LoopRun.model_validate(
        {"loop_id": "screen", "loop_version": 1, "title": "Screen", "role": "ML engineer", "questions": questions, **fields}
    )


def test_a_loop_run_names_no_more_sessions_than_it_has_questions() -> None:
    assert run(session_ids=["a"]).current_session_id == "a"
    with pytest.raises(ValidationError, match="2 sessions for a loop of 1 questions"):
        run(session_ids=["a", "b"])


def test_loop_records_refuse_unknown_fields_and_empty_budgets() -> None:
    with pytest.raises(ValidationError):
        run(states=[])
    with pytest.raises(ValidationError):
        LoopQuestion(question_id="uber-eta", title="Pickup ETA", minutes=0)
