"""The offline voice: short spoken-style lines built from the move and the rubric.

Variants are picked by turn number, not at random, so transcripts replay identically. No line
reveals the criteria, levels or model answer.
"""

from __future__ import annotations

from collections.abc import Iterator

from interviewer.engine.state import InterviewState, Move
from interviewer.rubric.models import Rubric

ACKNOWLEDGEMENTS = ("Okay.", "Got it.", "Understood.", "Right.", "Noted.", "I follow.", "Fair enough.")
ASK_ASSUMPTION = (
    "That isn't something I can pin down for you. State the assumption you'd make and carry on.",
    "I don't have that detail. Make a reasonable assumption, say it out loud, and keep going.",
)
MOVE_ALONG = ("Let's move on to {phase}.", "In the interest of time, let's get to {phase}.")
HINT = ("Here's a nudge. {hint}", "A hint, then. {hint}")
NO_HINT = "I'd rather not steer you further. Pick the part you feel is weakest and go deeper."
WRAP_UP = "We're nearly done. Is there anything you'd add or change before we wrap up?"
TIME_UP = "We're out of time. Give me a one-sentence summary of your approach, or anything you'd add."
CLOSE = "Thanks, that's the end of the interview. Your scorecard is ready."


def render(move: Move, state: InterviewState, rubric: Rubric) -> str:
    turn = sum(t.role == "interviewer" for t in state.turns)
    ack = ACKNOWLEDGEMENTS[turn % len(ACKNOWLEDGEMENTS)] + " " if move.acknowledge else ""
    if move.kind == "open":
        return rubric.prompt
    if move.kind == "answer-fact":
        return next(f.answer for f in rubric.facts if f.id == move.fact_id)
    if move.kind == "ask-assumption":
        return ASK_ASSUMPTION[turn % len(ASK_ASSUMPTION)]
    if move.kind == "probe":
        return ack + move.follow_up
    if move.kind == "move-along":
        phase = _mid_sentence(move.phase_name)
        return MOVE_ALONG[turn % len(MOVE_ALONG)].format(phase=phase) + " " + move.follow_up  # no room for an acknowledgement
    if move.kind == "hint":
        return HINT[turn % len(HINT)].format(hint=rubric.criterion(move.criterion_id).hint)
    if move.kind == "no-hint":
        return NO_HINT
    if move.kind == "wrap-up":
        return ack + WRAP_UP
    if move.kind == "time-up":
        return ack + TIME_UP
    return CLOSE


def _mid_sentence(title: str) -> str:
    """'Data and labels' reads as 'data and labels' inside a sentence; 'ML system' stays as it is."""
    return title[0].lower() + title[1:] if title[1:2].islower() else title


class TemplateVoice:
    """The default voice: needs no model and never fails."""

    name = "offline"

    def speak(self, move: Move, state: InterviewState, rubric: Rubric) -> Iterator[str]:
        yield render(move, state, rubric)
