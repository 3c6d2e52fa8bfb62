"""The rubric-driven interview, offline voice: whole transcripts and the rules behind them."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from interviewer.engine.state import InterviewState
from interviewer.rubric import load_rubric_file
from interviewer.practice.interview import InterviewSession

from support import SteppingClock

CHURN, _ = load_rubric_file(Path(__file__).parent / "rubrics" / "churn-test.yaml")


def interview(turns: list[str], rubric=CHURN, clock=None) -> InterviewSession:
    """Play the candidate's turns until they run out or the interview ends."""
    session = InterviewSession(rubric, clock=clock or SteppingClock())
    list(session.open())
    for turn in turns:
        if session.finished:
            break
        list(session.reply(turn))
    return session


def test_whole_interview_transcript():
    session = interview([
        "How many cancel each month?",
        "Is there a budget for the offers?",
        "hint?",
        "I'd frame it as classification: will the subscriber cancel in the next month.",
        "I'd look at listening time and payment failures, and whether there's a drop in sessions.",
        "I'd measure precision and recall.",
        "I'm done",
        "Nothing to add.",
    ])
    assert session.transcript() == """\
Interviewer: We run a music subscription. How would you predict which subscribers will cancel next month?
Candidate: How many cancel each month?
Interviewer: About 4% of subscribers cancel each month.
Candidate: Is there a budget for the offers?
Interviewer: That isn't something I can pin down for you. State the assumption you'd make and carry on.
Candidate: hint?
Interviewer: A hint, then. Start from the decision retention makes each month.
Candidate: I'd frame it as classification: will the subscriber cancel in the next month.
Interviewer: Noted. What signals would you look at?
Candidate: I'd look at listening time and payment failures, and whether there's a drop in sessions.
Interviewer: In the interest of time, let's get to features and evaluation. How would you know the model is good?
Candidate: I'd measure precision and recall.
Interviewer: Fair enough. How would you show the offers actually keep people?
Candidate: I'm done
Interviewer: We're nearly done. Is there anything you'd add or change before we wrap up?
Candidate: Nothing to add.
Interviewer: Thanks, that's the end of the interview. Your scorecard is ready."""
    state = session.state
    assert state.phase == "scored"
    assert state.facts_revealed == ["churn-rate"]
    assert state.hints_given == ["framing"]
    assert state.coverage["features"].level == 3
    assert "I'd look at listening time and payment failures, and whether there's a drop in sessions." in state.coverage["features"].evidence


def test_follow_ups_never_repeat_and_probes_per_criterion_are_bounded():
    session = interview(["I'm not sure, I'd think about it more."] * 12)
    probes = [t.move for t in session.state.turns if t.move and t.move.kind in ("probe", "move-along")]
    asked = [move.follow_up for move in probes]
    assert len(asked) == len(set(asked)) == 5  # every follow-up of the rubric, once
    assert all(len(c.probes) <= 2 for c in session.state.coverage.values())
    assert session.state.phase == "scored"


def test_overrunning_a_phase_moves_the_candidate_along():
    session = interview(["I'd use a model.", "I'd use a better model."], clock=SteppingClock(timedelta(minutes=2)))
    last = session.state.turns[-1]
    assert last.move.kind == "move-along" and last.move.phase_name == "Features and evaluation"
    assert last.text == "Let's move on to features and evaluation. What signals would you look at?"
    assert last.move.criterion_id in ("features", "evaluation")


def test_time_up_leads_to_wrap_up_then_scoring():
    session = interview(["I'd frame it as classification."], clock=SteppingClock(timedelta(minutes=11)))
    assert session.state.turns[-1].move.kind == "time-up"
    assert session.state.phase == "wrap-up"
    list(session.reply("In short: classify churn next month."))
    assert session.state.phase == "scored"
    with pytest.raises(ValueError, match="interview is over"):
        list(session.reply("one more thing"))


def test_hints_run_out_politely():
    session = interview(["hint", "another hint", "hint please"])
    kinds = [t.move.kind for t in session.state.turns if t.move]
    assert kinds == ["open", "hint", "hint", "no-hint"]


def test_state_survives_a_json_round_trip():
    session = interview(["What data do we have?", "I'd frame it as classification over the next month."])
    restored = InterviewState.model_validate_json(session.state.model_dump_json())
    assert restored == session.state
    resumed = InterviewSession(CHURN, clock=SteppingClock(), state=restored)
    list(resumed.reply("I'd use listening time."))
    assert len(resumed.state.turns) == len(session.state.turns) + 2


@pytest.mark.parametrize("rubric_id", ["uber-eta", "youtube-recommendations", "fraud-detection"])
def test_interviewer_speaks_briefly_and_never_reveals_the_rubric(bank, rubric_id):
    rubric = bank.get(rubric_id)
    session = interview(["What data do we have?", "I'd start simple.", "hint", "I'm not sure.", "I'd use a model."] * 3, rubric)
    secrets = [rubric.criterion(c.id).levels.descriptor(level) for c in rubric.criteria for level in range(4)]
    secrets += rubric.model_answer
    for turn in session.state.turns[1:]:  # the opening reads the prompt
        if turn.role != "interviewer":
            continue
        assert not re.search(r"^\s*([-*•|]|\d+\.)\s", turn.text, re.MULTILINE), turn.text
        if turn.move.kind != "answer-fact":  # facts are written by coaches, up to three sentences
            assert 1 <= len(re.findall(r"[.?!](\s|$)", turn.text)) <= 3, turn.text
        assert not any(secret in turn.text for secret in secrets)
        assert not re.match(r"(great|excellent|awesome|perfect|nice|good job|well done)\b", turn.text, re.IGNORECASE)
