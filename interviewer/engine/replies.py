"""The reply to what the listener read: every clarifying question answered from the facts, a plain
no to instructions, the time when asked, then one main move, chosen in this order: the candidate
wants to end or a hint, to hear the question again, is stuck, wandered off; a wrong claim to
challenge; a technique to dig into; then the agenda's next question.

Functions here change the state they are given (the transition hands them its own copy).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from interviewer.engine import agenda
from interviewer.engine.state import Beat, InterviewState, Move
from interviewer.listening.reading import Reading
from interviewer.matching.evidence import Sentence, concept_hits
from interviewer.matching.text import content_stems
from interviewer.rubric.models import Rubric

STUCK_BEFORE_HINT = 2  # the first time, a smaller question; the second, a hint; then move on
_GENERIC = frozenset(content_stems("model models data problem approach go deeper detail"))  # in any criterion name
STILL_TIME = 0.75  # "I'm done" before this share of the time, with criteria untouched: one more part first


@dataclass(frozen=True)
class Covered:
    """A concept the turn covered for the first time, and the candidate's words for it (None when
    they are too spread out to say back)."""

    criterion_id: str
    phrase: str | None


def reply(state: InterviewState, rubric: Rubric, reading: Reading, now: datetime, covered: list[Covered]) -> Move:
    advanced = list(dict.fromkeys(c.criterion_id for c in covered))
    before = _said_first(state, rubric, reading, now, advanced)
    move = _closing(state, rubric, reading, before, now)
    if move is not None:
        return move
    for choose in (_repeat, _stuck, _aside, _challenge, _dig):
        move = choose(state, rubric, reading, before)
        if move is not None:
            return move
    if reading.meta == "pause":
        return Move(kind="pause", before=before)
    if reading.stuck:
        before = [*before, Beat(kind="leave-it")]
    asks_deeper = reading.meta == "depth" and before[-1].deeper
    if not reading.said and (reading.questions or reading.meta == "time" or asks_deeper):
        return _listening(before)  # facts given: the candidate goes on from there
    if state.minutes_used(now) >= rubric.duration_minutes:
        state.phase = "wrap-up"
        return Move(kind="time-up", before=before, acknowledge=bool(reading.said))
    if reading.instruction and not reading.said:
        return _again(state, rubric, before) or agenda.next_question(state, rubric, now, advanced, before)
    move = agenda.next_question(state, rubric, now, advanced, before)
    words = next((c.phrase for c in covered if c.phrase), None)
    if words and move.kind in ("probe", "deepen", "move-along"):
        # Said back in the candidate's own words, not a stock "Understood."
        move = move.model_copy(update={"before": [*move.before, Beat(kind="acknowledge", quote=words)]})
    return move


def _said_first(
    state: InterviewState, rubric: Rubric, reading: Reading, now: datetime, advanced: list[str]
) -> list[Beat]:
    beats: list[Beat] = []
    if reading.instruction:
        beats.append(Beat(kind="decline", quote=reading.instruction))
    beats += _facts(state, reading)
    if reading.meta == "time":
        beats.append(Beat(kind="time-left", minutes_left=round(rubric.duration_minutes - state.minutes_used(now), 1)))
    if reading.meta == "depth":
        beats.append(_depth(state, rubric, advanced))
    return beats


def _depth(state: InterviewState, rubric: Rubric, advanced: list[str]) -> Beat:
    """'Should I go deeper?' is judged on the part the candidate names ('deeper into serving?'),
    else on what this answer covered, else on the question it answers."""
    asked = state.last_question()
    named = _criteria_named(rubric, state.turns[-1].text)
    criterion = (named or advanced or [asked.criterion_id if asked else None])[0]
    solid = criterion is not None and state.coverage[criterion].level >= agenda.COVERED_LEVEL
    return Beat(kind="depth", deeper=not solid, criterion_id=criterion)


def _criteria_named(rubric: Rubric, text: str) -> list[str]:
    sentence = [Sentence.of(text)]
    stems = set(content_stems(text))
    return [c.id for c in rubric.criteria if concept_hits(c, sentence) or stems & set(content_stems(c.name)) - _GENERIC]


def _facts(state: InterviewState, reading: Reading) -> list[Beat]:
    beats: list[Beat] = []
    for asked in reading.questions:
        if asked.fact_id is None:
            if not any(b.kind == "ask-assumption" for b in beats):
                # Beside facts, say which part has no answer; alone, the candidate knows what they asked.
                partly = len(reading.questions) > 1
                beats.append(Beat(kind="ask-assumption", quote=asked.text if partly else None))
        elif any(b.fact_id == asked.fact_id for b in beats):
            continue
        elif asked.fact_id in state.facts_revealed:
            beats.append(Beat(kind="repeat-fact", fact_id=asked.fact_id))
        else:
            state.facts_revealed.append(asked.fact_id)
            beats.append(Beat(kind="answer-fact", fact_id=asked.fact_id))
    return beats


def _closing(state: InterviewState, rubric: Rubric, reading: Reading, before: list[Beat], now: datetime) -> Move | None:
    if state.phase == "wrap-up" or reading.done:
        if state.phase == "wrap-up":
            state.phase = "scored"
            return Move(kind="close", before=before, acknowledge=bool(reading.said))
        if _early(state, rubric, now) and not _said_done_before(state):
            probe = agenda.next_question(state, rubric, now, [], before)
            if probe.kind in ("probe", "move-along"):
                still = [*before, Beat(kind="still-time")]
                return probe.model_copy(update={"kind": "probe", "phase_name": None, "before": still})
        state.phase = "wrap-up"
        return Move(kind="wrap-up", before=before)
    if reading.wants_hint:
        return hint_move(state, rubric, before)
    return None


def _early(state: InterviewState, rubric: Rubric, now: datetime) -> bool:
    return state.minutes_used(now) < STILL_TIME * rubric.duration_minutes and bool(agenda.uncovered(state, rubric))


def _said_done_before(state: InterviewState) -> bool:
    return sum(t.intent == "done" for t in state.turns if t.role == "candidate") > 1


def hint_move(state: InterviewState, rubric: Rubric, before: list[Beat] | None = None) -> Move:
    asked = state.last_question()
    criterion = agenda.hint_for(state, rubric, asked.criterion_id if asked else None)
    if criterion is None:
        return Move(kind="no-hint", before=before or [])
    return Move(kind="hint", criterion_id=criterion.id, before=before or [])


def _repeat(state: InterviewState, rubric: Rubric, reading: Reading, before: list[Beat]) -> Move | None:
    if reading.repeat is None or reading.said:
        return None
    asked = state.last_question()
    if asked is None:
        return None
    if reading.repeat == "rephrase" and asked.criterion_id:
        other = agenda.narrower(state, rubric, asked.criterion_id)
        if other is not None and other[0] == asked.criterion_id:
            return Move(kind="rephrase", criterion_id=other[0], follow_up=other[1], before=before)
    return asked.model_copy(update={"kind": "repeat", "before": before, "quote": asked.follow_up})


def _stuck(state: InterviewState, rubric: Rubric, reading: Reading, before: list[Beat]) -> Move | None:
    """A smaller question on the same criterion first, then its hint; stuck on a challenge, or
    again after the hint, the agenda moves on to something else."""
    if not reading.stuck:
        return None
    asked = state.last_question()
    if asked is not None and asked.kind == "challenge":
        return None
    criterion = asked.criterion_id if asked else None
    streak = _stuck_streak(state)
    if streak < STUCK_BEFORE_HINT:
        smaller = agenda.narrower(state, rubric, criterion)
        if smaller is not None:
            return Move(kind="narrow", criterion_id=smaller[0], follow_up=smaller[1], before=before)
    if streak <= STUCK_BEFORE_HINT:
        move = hint_move(state, rubric, before)
        if move.kind == "hint":
            return move
    return None


def _stuck_streak(state: InterviewState) -> int:
    """How many candidate turns in a row, this one included, said they were stuck."""
    streak = 0
    for turn in reversed([t for t in state.turns if t.role == "candidate"]):
        if turn.intent != "stuck":
            break
        streak += 1
    return streak


def _aside(state: InterviewState, rubric: Rubric, reading: Reading, before: list[Beat]) -> Move | None:
    """Back to the question once; wandering off again, the agenda moves on."""
    if not reading.aside:
        return None
    if _last_move_kind(state) == "steer-back":
        before.append(Beat(kind="leave-it"))
        return None
    again = _again(state, rubric, before)
    return again.model_copy(update={"kind": "steer-back"}) if again else None


def _last_move_kind(state: InterviewState) -> str | None:
    return next((t.move.kind for t in reversed(state.turns) if t.role == "interviewer" and t.move), None)


def _again(state: InterviewState, rubric: Rubric, before: list[Beat]) -> Move | None:
    asked = state.last_question()
    return asked.model_copy(update={"kind": "repeat", "before": before}) if asked else None


def _challenge(state: InterviewState, rubric: Rubric, reading: Reading, before: list[Beat]) -> Move | None:
    for claim in reading.claims:
        if claim.red_flag_id not in state.challenged:
            state.challenged.append(claim.red_flag_id)
            flag = next(f for f in rubric.red_flags if f.id == claim.red_flag_id)
            return Move(kind="challenge", red_flag_id=flag.id, quote=claim.quote, follow_up=flag.challenge, before=before)
    return None


def _dig(state: InterviewState, rubric: Rubric, reading: Reading, before: list[Beat]) -> Move | None:
    return agenda.dig(state, rubric, reading.techniques, before)


def _listening(before: list[Beat]) -> Move:
    """Only clarifying questions: the answers are the reply; the candidate carries on."""
    main, rest = before[-1], before[:-1]
    return Move(**main.model_dump(), before=rest)
