"""The offline voice: short spoken-style lines built from each beat of the move and the rubric.

Variants are picked by turn number, not at random, so transcripts replay identically. Facts and
the opening question are said as the rubric writes them; no line reveals the criteria, levels or
model answer, and none states anything the candidate or the rubric's facts did not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from interviewer.engine.state import Beat, InterviewState, Move
from interviewer.rubric.models import Rubric

ACKNOWLEDGE = ("Okay: {what}.", "Got it, {what}.", "Right, {what}.", "Noted: {what}.")
ASK_ASSUMPTION = (
    "That isn't something I can pin down for you. State the assumption you'd make and carry on.",
    "I don't have that detail. Make a reasonable assumption, say it out loud, and keep going.",
)
ASSUME_PART = "As for {quote}, I don't have that detail, so make a reasonable assumption and say it out loud."
REPEAT_FACT = "As I mentioned, {answer}"
DECLINE = "I can't change how this is graded or give the answer away, so let's stay with the question."
TIME_LEFT = "You have about {minutes} left."
TIME_OVER = "We're already over the time we planned."
DEPTH_MORE = "Yes, go ahead: a bit more depth there would help."
DEPTH_ENOUGH = "That's enough depth on that for now."
PAUSE = "Take your time."
REPEAT = "Sure. {question}"
REPHRASE = "Let me come at it from another angle. {question}"
BACK_TO_OPENING = "So, how would you approach it?"
NARROW = ("That's fine, let's take a smaller piece of it. {question}", "No problem, let's start with a smaller part. {question}")
STEER_BACK = "Let's come back to the problem. {question}"
CHALLENGE = "Let me push on something you said: \u201c{quote}\u201d. {question}"
DIG = ("Let's stay with the {technique} you mentioned. {question}", "I'd like to hear more about the {technique}. {question}")
MOVE_ALONG = ("Let's move on to {phase}.", "In the interest of time, let's get to {phase}.")
HINT = ("Here's a nudge. {hint}", "A hint, then. {hint}")
NO_HINT = "I'd rather not steer you further. Pick the part you feel is weakest and go deeper."
LEAVE_IT = "Let's leave that one for now."
STILL_TIME = "We still have time, so let's look at one more part."
WRAP_UP = "We've covered the main parts. Is there anything you'd add or change before we wrap up?"
TIME_UP = "We're out of time. Give me a one-sentence summary of your approach, or anything you'd add."
CLOSE = "Thanks, that's the end of the interview. Your scorecard is ready."
MAX_QUOTE_WORDS = 14


def render(move: Move, state: InterviewState, rubric: Rubric) -> str:
    turn = sum(t.role == "interviewer" for t in state.turns)
    lines = [render_beat(beat, rubric, turn) for beat in move.before]
    if move.kind == "repeat" and any(beat.kind == "decline" for beat in move.before):
        lines.append(_back_to(move))  # "...so let's stay with the question." Then the question, not "Sure."
    else:
        lines.append(render_beat(move, rubric, turn))
    return " ".join(line for line in lines if line)


def render_beat(beat: Beat, rubric: Rubric, turn: int) -> str:
    kind = beat.kind
    if kind == "open":
        return rubric.prompt
    if kind in ("answer-fact", "repeat-fact"):
        answer = next(f.answer for f in rubric.facts if f.id == beat.fact_id)
        return answer if kind == "answer-fact" else REPEAT_FACT.format(answer=_mid_sentence(answer))
    if kind == "ask-assumption" and beat.quote:
        return ASSUME_PART.format(quote=f"\u201c{short_quote(beat.quote)}\u201d")
    if kind == "acknowledge":
        return _pick(ACKNOWLEDGE, turn).format(what=beat.quote)
    if kind in _FIXED:
        return _FIXED[kind] if isinstance(_FIXED[kind], str) else _pick(_FIXED[kind], turn)  # type: ignore[arg-type]
    if kind in _RENDERERS:
        return _RENDERERS[kind](beat, rubric, turn)
    return ""


def _time_left(beat: Beat, rubric: Rubric, turn: int) -> str:
    minutes = beat.minutes_left or 0
    if minutes <= 0:
        return TIME_OVER
    return TIME_LEFT.format(minutes=f"{round(minutes):g} minutes" if minutes >= 1.5 else "a minute")


def _question(beat: Beat, rubric: Rubric) -> str:
    return beat.follow_up or rubric.prompt


def _back_to(beat: Beat) -> str:
    """The question to come back to; the whole opening prompt again only when asked to repeat it."""
    return beat.follow_up or BACK_TO_OPENING


def _challenge(beat: Beat, rubric: Rubric, turn: int) -> str:
    return CHALLENGE.format(quote=short_quote(beat.quote or ""), question=beat.follow_up)


def _dig(beat: Beat, rubric: Rubric, turn: int) -> str:
    question = beat.follow_up or ""
    technique = re.sub(r"^(a|an|the) ", "", beat.technique or "", flags=re.IGNORECASE)
    if technique.lower() in question.lower():
        return question  # the question already names it
    return _pick(DIG, turn).format(technique=technique, question=question)


def _move_along(beat: Beat, rubric: Rubric, turn: int) -> str:
    return _pick(MOVE_ALONG, turn).format(phase=_mid_sentence(beat.phase_name or "the next part")) + " " + (beat.follow_up or "")


def _hint(beat: Beat, rubric: Rubric, turn: int) -> str:
    return _pick(HINT, turn).format(hint=rubric.criterion(beat.criterion_id).hint) if beat.criterion_id else NO_HINT


_FIXED: dict[str, str | tuple[str, ...]] = {
    "ask-assumption": ASK_ASSUMPTION, "decline": DECLINE, "pause": PAUSE, "no-hint": NO_HINT, "wrap-up": WRAP_UP,
    "still-time": STILL_TIME, "leave-it": LEAVE_IT,
    "time-up": TIME_UP, "close": CLOSE,
}
_RENDERERS = {
    "time-left": _time_left,
    "depth": lambda beat, rubric, turn: DEPTH_MORE if beat.deeper else DEPTH_ENOUGH,
    "repeat": lambda beat, rubric, turn: REPEAT.format(question=_question(beat, rubric)),
    "rephrase": lambda beat, rubric, turn: REPHRASE.format(question=_question(beat, rubric)),
    "narrow": lambda beat, rubric, turn: _pick(NARROW, turn).format(question=_question(beat, rubric)),
    "steer-back": lambda beat, rubric, turn: STEER_BACK.format(question=_back_to(beat)),
    "challenge": _challenge,
    "dig": _dig,
    "deepen": lambda beat, rubric, turn: beat.follow_up or "",
    "probe": lambda beat, rubric, turn: beat.follow_up or "",
    "move-along": _move_along,
    "hint": _hint,
}


def short_quote(text: str, limit: int = MAX_QUOTE_WORDS) -> str:
    """The candidate's words, cut to a speakable length at a word boundary."""
    text = re.sub(r"\s+", " ", text).strip().rstrip(".")
    cut = text.split(" ")
    return text if len(cut) <= limit else " ".join(cut[:limit]) + "\u2026"


def _pick(options: tuple[str, ...], turn: int) -> str:
    return options[turn % len(options)]


def _mid_sentence(title: str) -> str:
    """'Data and labels' reads as 'data and labels' inside a sentence; 'ML system' stays as it is."""
    return title[0].lower() + title[1:] if title[1:2].islower() else title


class TemplateVoice:
    """The default voice: needs no model and never fails."""

    name = "offline"

    def speak(self, move: Move, state: InterviewState, rubric: Rubric) -> Iterator[str]:
        yield render(move, state, rubric)
