"""Pure functions from interview data to what the page shows: chat messages, timer text, tables.

Candidate text is escaped here, once, before it reaches any component that renders Markdown
or HTML, so a `<script>` typed as an answer shows as text.
"""

from __future__ import annotations

import html
from datetime import datetime

from interviewer.engine.state import InterviewState
from interviewer.rubric.models import Rubric

PHASE_LABELS = {"intro": "Introduction", "discussion": "Discussion", "wrap-up": "Wrap-up", "scored": "Scored"}


def chat_messages(state: InterviewState | None, pending: str | None = None) -> list[dict[str, str]]:
    """The conversation for gr.Chatbot; `pending` is an interviewer turn still being spoken."""
    messages = []
    for turn in state.turns if state else []:
        role = "assistant" if turn.role == "interviewer" else "user"
        messages.append({"role": role, "content": html.escape(turn.text, quote=False)})
    if pending is not None:
        messages.append({"role": "assistant", "content": html.escape(pending, quote=False)})
    return messages


def timer_text(state: InterviewState | None, rubric: Rubric | None, now: datetime) -> str:
    if state is None or rubric is None:
        return "Pick a question and press Start."
    used = state.minutes_used(state.turns[-1].at if state.phase == "scored" and state.turns else now)
    minutes, seconds = divmod(int(used * 60), 60)
    part = ""
    if rubric.phases and state.phase != "scored":
        phase = rubric.phases[min(state.rubric_phase, len(rubric.phases) - 1)]
        part = f" · now: {phase.name} ({phase.minutes:g} min)"
    over = " · over time" if used > rubric.duration_minutes else ""
    return f"Time {minutes}:{seconds:02d} of {rubric.duration_minutes:g}:00 · {PHASE_LABELS[state.phase]}{part}{over}"


def question_choices(rubrics: list[Rubric], category: str | None, difficulty: str | None) -> list[tuple[str, str]]:
    """(label, id) pairs for the question picker, filtered; 'All' or None means no filter."""
    chosen = [
        r for r in rubrics
        if category in (None, "", "All", r.category) and difficulty in (None, "", "All", r.difficulty)
    ]
    return [(f"{r.title} ({r.category}, {r.difficulty}, {r.duration_minutes:g} min)", r.id) for r in sorted(chosen, key=lambda r: r.title)]
