"""Pure transition functions: given the state and what the listener read, decide the next move.

Nothing here reads the clock, listens or talks to a model: `now` and the reading are passed in,
so a whole interview replays identically in tests.
"""

from __future__ import annotations

from datetime import datetime

from interviewer.engine.replies import Covered, hint_move, reply
from interviewer.engine.state import CriterionCoverage, Intent, InterviewState, Move, Turn
from interviewer.listening.reading import Reading
from interviewer.matching.evidence import Sentence, concept_hits
from interviewer.matching.text import said_as
from interviewer.rubric.models import Rubric

HINT_REQUEST = "(asked for a hint)"  # how the Hint button's request reads in the transcript


def start_interview(rubric: Rubric, now: datetime) -> tuple[InterviewState, Move]:
    state = InterviewState(
        question_id=rubric.id,
        rubric_version=rubric.version,
        started_at=now,
        rubric_phase_started_at=now,
        coverage={c.id: CriterionCoverage() for c in rubric.criteria},
    )
    move = Move(kind="open")
    return state.model_copy(update={"pending": move}), move


def record_interviewer_turn(state: InterviewState, move: Move, text: str, now: datetime) -> InterviewState:
    """Append what the interviewer actually said (the voice's words for `move`)."""
    turn = Turn(role="interviewer", text=text, at=now, move=move)
    return state.model_copy(update={"turns": [*state.turns, turn], "pending": None})


def candidate_turn(
    state: InterviewState, rubric: Rubric, text: str, reading: Reading, now: datetime
) -> tuple[InterviewState, Move]:
    """Record the candidate's turn, as read, and decide the interviewer's reply (kept as `pending`)."""
    state = _with_candidate_turn(state, text, intent_of(reading), now, reading)
    covered = _update_coverage(state, rubric, reading.said)
    if state.phase == "intro" and reading.said:
        state.phase = "discussion"
    move = reply(state, rubric, reading, now, covered)
    state.pending = move
    return state, move


def ask_for_hint(state: InterviewState, rubric: Rubric, now: datetime) -> tuple[InterviewState, Move]:
    """The candidate pressed Hint: recorded as such in the transcript, whatever words a button uses."""
    state = _with_candidate_turn(state, HINT_REQUEST, "hint", now, None)
    move = hint_move(state, rubric) if state.phase != "wrap-up" else Move(kind="no-hint")
    state.pending = move
    return state, move


def end_interview(state: InterviewState) -> InterviewState:
    """Stop at once (the candidate pressed end, or the input ran out): the state is ready to score."""
    return state.model_copy(update={"phase": "scored"})


def intent_of(reading: Reading) -> Intent:
    """One word for the turn in the transcript; 'answer' whenever it states something to grade."""
    if reading.said or reading.instruction:
        return "answer"
    if reading.done:
        return "done"
    for intent, present in (("hint", reading.wants_hint), ("repeat", reading.repeat), ("stuck", reading.stuck),
                            ("aside", reading.aside), ("question", reading.questions or reading.rhetorical)):
        if present:
            return intent  # type: ignore[return-value]
    return "meta" if reading.meta else "answer"


def _with_candidate_turn(
    state: InterviewState, text: str, intent: Intent, now: datetime, reading: Reading | None
) -> InterviewState:
    if state.phase == "scored":
        raise ValueError("the interview is over; start a new one")
    # A new state; past turns are never changed, so they are shared rather than copied one by one.
    return state.model_copy(update={
        "turns": [*state.turns, Turn(role="candidate", text=text, at=now, intent=intent, reading=reading)],
        "coverage": {name: coverage.model_copy(deep=True) for name, coverage in state.coverage.items()},
        "hints_given": list(state.hints_given),
        "facts_revealed": list(state.facts_revealed),
        "challenged": list(state.challenged),
        "dug": list(state.dug),
    })


def _update_coverage(state: InterviewState, rubric: Rubric, said: list[str]) -> list[Covered]:
    """Add the concepts this turn's answer mentions; returns them, new ones only. Only the new turn
    is read, so a turn costs the same early and late in an interview."""
    sentences = [Sentence.of(s) for s in said]
    covered = []
    for criterion in rubric.criteria:
        coverage = state.coverage[criterion.id]
        for hit in concept_hits(criterion, sentences):
            if hit.concept not in coverage.concepts:
                coverage.concepts.append(hit.concept)
                if hit.sentence not in coverage.evidence:
                    coverage.evidence.append(hit.sentence)
                covered.append(Covered(criterion.id, said_as(hit.phrase, hit.sentence)))
        coverage.level = max(coverage.level, min(3, len(coverage.concepts)))
    return covered
