"""Pure transition functions: given the state and what the candidate said, decide the next move.

Nothing here reads the clock or talks to a model: `now` is passed in, so a whole interview
replays identically in tests.
"""

from __future__ import annotations

from datetime import datetime

from interviewer.engine.intents import best_fact, classify
from interviewer.matching.questions import question_sentences
from interviewer.engine.state import CriterionCoverage, InterviewState, Move, Turn
from interviewer.matching.evidence import Sentence, concept_hits
from interviewer.rubric.models import Criterion, Rubric
from interviewer.matching.text import sentences

MAX_PROBES_PER_CRITERION = 2
COVERED_LEVEL = 2  # a criterion at this live level is not probed
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


def candidate_turn(state: InterviewState, rubric: Rubric, text: str, now: datetime) -> tuple[InterviewState, Move]:
    """Record the candidate's turn and decide the interviewer's next move (also kept as `pending`)."""
    state, move = _decide(state, rubric, text, now)
    state.pending = move
    return state, move


def ask_for_hint(state: InterviewState, rubric: Rubric, now: datetime) -> tuple[InterviewState, Move]:
    """The candidate pressed Hint: recorded as such in the transcript, whatever words a button uses."""
    state = _with_candidate_turn(state, HINT_REQUEST, "hint", now)
    move = _hint(state, rubric) if state.phase != "wrap-up" else Move(kind="no-hint")
    state.pending = move
    return state, move


def _with_candidate_turn(state: InterviewState, text: str, intent: str, now: datetime) -> InterviewState:
    if state.phase == "scored":
        raise ValueError("the interview is over; start a new one")
    # A new state; past turns are never changed, so they are shared rather than copied one by one.
    return state.model_copy(update={
        "turns": [*state.turns, Turn(role="candidate", text=text, at=now, intent=intent)],
        "coverage": {name: coverage.model_copy(deep=True) for name, coverage in state.coverage.items()},
        "hints_given": list(state.hints_given),
        "facts_revealed": list(state.facts_revealed),
    })


def _decide(state: InterviewState, rubric: Rubric, text: str, now: datetime) -> tuple[InterviewState, Move]:
    intent = classify(text)
    state = _with_candidate_turn(state, text, intent, now)
    if intent in ("answer", "question"):
        _update_coverage(state, rubric, text)

    if state.phase == "wrap-up" or intent == "done":
        return _finish_or_wrap(state, intent)
    if intent == "hint":
        return state, _hint(state, rubric)
    if intent == "question":
        return state, _answer_question(state, rubric, text)
    state.phase = "discussion"
    if state.minutes_used(now) >= rubric.duration_minutes:
        state.phase = "wrap-up"
        return state, Move(kind="time-up", acknowledge=True)
    return state, _next_probe(state, rubric, now)


def end_interview(state: InterviewState) -> InterviewState:
    """Stop at once (the candidate pressed end, or the input ran out): the state is ready to score."""
    return state.model_copy(update={"phase": "scored"})


def _finish_or_wrap(state: InterviewState, intent: str) -> tuple[InterviewState, Move]:
    if state.phase == "wrap-up":
        state.phase = "scored"
        return state, Move(kind="close", acknowledge=intent == "answer")
    state.phase = "wrap-up"
    return state, Move(kind="wrap-up")


def _update_coverage(state: InterviewState, rubric: Rubric, text: str) -> None:
    """Add the concepts this turn mentions; only the new turn is read, so a turn costs the same
    early and late in an interview."""
    said = [Sentence.of(s) for s in sentences(text)]
    for criterion in rubric.criteria:
        coverage = state.coverage[criterion.id]
        for hit in concept_hits(criterion, said):
            if hit.concept not in coverage.concepts:
                coverage.concepts.append(hit.concept)
                if hit.sentence not in coverage.evidence:
                    coverage.evidence.append(hit.sentence)
        coverage.level = max(coverage.level, min(3, len(coverage.concepts)))


def _answer_question(state: InterviewState, rubric: Rubric, text: str) -> Move:
    fact = best_fact(rubric.facts, question_sentences(text))
    if fact is None:
        return Move(kind="ask-assumption")
    if fact.id not in state.facts_revealed:
        state.facts_revealed.append(fact.id)
    return Move(kind="answer-fact", fact_id=fact.id)


def _hint(state: InterviewState, rubric: Rubric) -> Move:
    for criterion in _uncovered(state, rubric):
        if criterion.hint and criterion.id not in state.hints_given:
            state.hints_given.append(criterion.id)
            return Move(kind="hint", criterion_id=criterion.id)
    return Move(kind="no-hint")


def _next_probe(state: InterviewState, rubric: Rubric, now: datetime) -> Move:
    moved = _advance_phase_if_over(state, rubric, now)
    for criterion in _uncovered(state, rubric):
        coverage = state.coverage[criterion.id]
        unasked = [q for q in criterion.follow_ups if q not in coverage.probes]
        if unasked and len(coverage.probes) < MAX_PROBES_PER_CRITERION:
            coverage.probes.append(unasked[0])
            kind = "move-along" if moved else "probe"
            phase_name = rubric.phases[state.rubric_phase].name if moved else None
            return Move(kind=kind, criterion_id=criterion.id, follow_up=unasked[0], phase_name=phase_name, acknowledge=True)
    state.phase = "wrap-up"
    return Move(kind="wrap-up", acknowledge=True)


def _advance_phase_if_over(state: InterviewState, rubric: Rubric, now: datetime) -> bool:
    if state.rubric_phase + 1 >= len(rubric.phases):
        return False
    budget = rubric.phases[state.rubric_phase].minutes
    if (now - state.rubric_phase_started_at).total_seconds() / 60 <= budget:
        return False
    state.rubric_phase += 1
    state.rubric_phase_started_at = now
    return True


def _uncovered(state: InterviewState, rubric: Rubric) -> list[Criterion]:
    """Criteria still below the covered level, most worth asking about first."""
    focus = set(rubric.phases[state.rubric_phase].focus) if rubric.phases else set()
    order = {c.id: i for i, c in enumerate(rubric.criteria)}
    pending = [c for c in rubric.criteria if state.coverage[c.id].level < COVERED_LEVEL]
    return sorted(
        pending,
        key=lambda c: (len(state.coverage[c.id].probes), c.id not in focus, -c.weight, order[c.id]),
    )
