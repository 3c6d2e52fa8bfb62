"""What to ask next: dig into what the candidate just named, go deeper where they were solid, probe
what they have not covered, and keep time; wrap up only once every criterion is covered in depth.

Functions here change the state they are given (the transition hands them its own copy).
"""

from __future__ import annotations

from datetime import datetime

from interviewer.engine.state import Beat, CriterionCoverage, InterviewState, Move
from interviewer.listening.lexicon import LEXICON
from interviewer.listening.reading import Named
from interviewer.rubric.models import Criterion, Rubric

MAX_PROBES_PER_CRITERION = 2
MAX_DEEPER_PER_CRITERION = 2
COVERED_LEVEL = 2  # a criterion at this live level is not probed, but may be deepened
STRONG_LEVEL = 3
SOON_OVER = 0.8  # share of the time after which uncovered criteria come before going deeper


def next_question(state: InterviewState, rubric: Rubric, now: datetime, advanced: list[str], before: list[Beat]) -> Move:
    """The main move after an answer: deeper on what this turn advanced, else the next probe, else wrap up."""
    moved = advance_phase_if_over(state, rubric, now)
    late = state.minutes_used(now) >= SOON_OVER * rubric.duration_minutes
    choices = (_probe, _deepen) if late or moved else (_deepen, _probe)
    for choose in choices:
        move = choose(state, rubric, advanced, before)
        if move is not None:
            if moved:
                return move.model_copy(update={"kind": "move-along", "phase_name": rubric.phases[state.rubric_phase].name})
            return move
    move = _deepen(state, rubric, [c.id for c in rubric.criteria], before)  # anything left to test in depth
    if move is not None:
        return move
    state.phase = "wrap-up"
    return Move(kind="wrap-up", before=before, acknowledge=True)


def dig(state: InterviewState, rubric: Rubric, named: list[Named], before: list[Beat]) -> Move | None:
    """A follow-up on a technique the candidate just named, from the rubric or the generic lexicon."""
    own = {t.id: t for t in rubric.techniques}
    generic = {t.id: t for t in LEXICON}
    for technique in named:
        asks = own[technique.technique_id].follow_ups if technique.technique_id in own else (
            generic[technique.technique_id].follow_ups(technique.quote) if technique.technique_id in generic else []
        )
        unasked = [q for q in asks if q not in state.dug]
        if unasked:
            state.dug.append(unasked[0])
            criterion = own[technique.technique_id].criterion if technique.technique_id in own else None
            return Move(kind="dig", follow_up=unasked[0], technique=technique.name, quote=technique.quote,
                        criterion_id=criterion, before=before)
    return None


def _deepen(state: InterviewState, rubric: Rubric, advanced: list[str], before: list[Beat]) -> Move | None:
    for criterion in (rubric.criterion(c) for c in advanced):
        coverage = state.coverage[criterion.id]
        unasked = [q for q in criterion.deeper if q not in coverage.deeper]
        limit = 1 if coverage.level >= STRONG_LEVEL else MAX_DEEPER_PER_CRITERION  # strong: tested in depth once
        if coverage.level >= COVERED_LEVEL and unasked and len(coverage.deeper) < limit:
            coverage.deeper.append(unasked[0])
            return Move(kind="deepen", criterion_id=criterion.id, follow_up=unasked[0], before=before, acknowledge=True)
    return None


def _probe(state: InterviewState, rubric: Rubric, advanced: list[str], before: list[Beat]) -> Move | None:
    for criterion in uncovered(state, rubric):
        coverage = state.coverage[criterion.id]
        unasked = [q for q in criterion.follow_ups if q not in coverage.probes]
        if unasked and len(coverage.probes) < MAX_PROBES_PER_CRITERION:
            coverage.probes.append(unasked[0])
            return Move(kind="probe", criterion_id=criterion.id, follow_up=unasked[0], before=before, acknowledge=True)
    return None


def narrower(state: InterviewState, rubric: Rubric, criterion_id: str | None) -> tuple[str, str] | None:
    """Another, smaller question on the criterion the candidate is stuck on (or the next one worth
    asking about): its criterion's id and the question."""
    for criterion in _criteria_from(rubric, criterion_id, state):
        coverage = state.coverage[criterion.id]
        unasked = [q for q in criterion.follow_ups if q not in coverage.probes]
        if unasked:
            coverage.probes.append(unasked[0])
            return criterion.id, unasked[0]
    return None


def hint_for(state: InterviewState, rubric: Rubric, criterion_id: str | None = None) -> Criterion | None:
    """The criterion whose hint to give: the one in question if it has an unused hint, else the
    most worth asking about among those not covered."""
    for criterion in _criteria_from(rubric, criterion_id, state):
        if criterion.hint and criterion.id not in state.hints_given:
            state.hints_given.append(criterion.id)
            return criterion
    return None


def _criteria_from(rubric: Rubric, criterion_id: str | None, state: InterviewState) -> list[Criterion]:
    first = [rubric.criterion(criterion_id)] if criterion_id in {c.id for c in rubric.criteria} else []
    return [*first, *(c for c in uncovered(state, rubric) if c.id != criterion_id)]


def advance_phase_if_over(state: InterviewState, rubric: Rubric, now: datetime) -> bool:
    if state.rubric_phase + 1 >= len(rubric.phases):
        return False
    budget = rubric.phases[state.rubric_phase].minutes
    if (now - state.rubric_phase_started_at).total_seconds() / 60 <= budget:
        return False
    state.rubric_phase += 1
    state.rubric_phase_started_at = now
    return True


def uncovered(state: InterviewState, rubric: Rubric) -> list[Criterion]:
    """Criteria still below the covered level, most worth asking about first."""
    focus = set(rubric.phases[state.rubric_phase].focus) if rubric.phases else set()
    order = {c.id: i for i, c in enumerate(rubric.criteria)}
    pending = [c for c in rubric.criteria if _coverage(state, c).level < COVERED_LEVEL]
    return sorted(
        pending,
        key=lambda c: (len(_coverage(state, c).probes), c.id not in focus, -c.weight, order[c.id]),
    )


def _coverage(state: InterviewState, criterion: Criterion) -> CriterionCoverage:
    return state.coverage.setdefault(criterion.id, CriterionCoverage())
