"""Pure functions from a practice to what the page shows: chat messages, the clock, picker labels.

Candidate and model text is escaped here, once, and the chat renders no Markdown, so whatever
anyone typed (a `<script>`, an image link) shows as the characters typed and fetches nothing.
"""

from __future__ import annotations

import html
from datetime import datetime

from interviewer.engine.state import InterviewState
from interviewer.practice.records import Practice
from interviewer.rubric.models import Rubric

PHASE_LABELS = {"intro": "Introduction", "discussion": "Discussion", "wrap-up": "Wrap-up", "scored": "Scored"}
NO_INTERVIEW = "Pick a question and press Start."


def plain(text: str) -> str:
    return html.escape(text, quote=False)


def turn_messages(state: InterviewState) -> list[dict[str, str]]:
    return [
        {"role": "assistant" if turn.role == "interviewer" else "user", "content": plain(turn.text)}
        for turn in state.turns
    ]


def chat_messages(practice: Practice | None, speaking: str | None = None) -> list[dict[str, str]]:
    """The conversation for gr.Chatbot; a loop shows each question it has opened under a heading."""
    messages: list[dict[str, str]] = []
    if practice is not None:
        states = [*practice.earlier, practice.state]
        for number, state in enumerate(states, start=1):
            if practice.loop is not None:
                question = practice.loop.questions[number - 1]
                heading = f"Question {number} of {len(practice.loop.questions)}: {question.title}"
                messages.append({"role": "assistant", "content": plain(heading)})
            messages += turn_messages(state)
    if speaking is not None:
        messages.append({"role": "assistant", "content": plain(speaking)})
    return messages


def clock_text(state: InterviewState | None, rubric: Rubric | None, now: datetime) -> str:
    if state is None or rubric is None:
        return NO_INTERVIEW
    used = state.minutes_used(state.turns[-1].at if state.phase == "scored" and state.turns else now)
    minutes, seconds = divmod(int(used * 60), 60)
    return f"Time {minutes}:{seconds:02d} of {rubric.duration_minutes:g}:00 · {clock_phase(state, rubric)}" + (
        " · over time" if used > rubric.duration_minutes else ""
    )


def clock_phase(state: InterviewState, rubric: Rubric) -> str:
    part = ""
    if rubric.phases and state.phase != "scored":
        phase = rubric.phases[min(state.rubric_phase, len(rubric.phases) - 1)]
        part = f" · now: {phase.name} ({phase.minutes:g} min)"
    return PHASE_LABELS[state.phase] + part


def clock_html(state: InterviewState | None, rubric: Rubric | None, now: datetime) -> str:
    """The clock, with what the page's script needs to keep it ticking without asking the server."""
    text = plain(clock_text(state, rubric, now))
    if state is None or rubric is None or state.phase == "scored":
        return f'<p class="clock">{text}</p>'
    return (
        f'<p class="clock" data-started="{state.started_at.timestamp() * 1000:.0f}" '
        f'data-minutes="{rubric.duration_minutes:g}" data-phase="{html.escape(clock_phase(state, rubric))}">{text}</p>'
    )


# Ticks every clock on the page once a second from its data attributes; no server events.
CLOCK_SCRIPT = """<script>
setInterval(() => {
  for (const clock of document.querySelectorAll(".clock[data-started]")) {
    const used = Math.max(0, (Date.now() - Number(clock.dataset.started)) / 1000);
    const total = Number(clock.dataset.minutes);
    const m = Math.floor(used / 60), s = String(Math.floor(used % 60)).padStart(2, "0");
    const over = used / 60 > total ? " · over time" : "";
    clock.textContent = `Time ${m}:${s} of ${total}:00 · ${clock.dataset.phase}${over}`;
  }
}, 1000);
</script>"""


def question_label(rubric: Rubric) -> str:
    return f"{rubric.title} ({rubric.category}, {rubric.difficulty}, {rubric.duration_minutes:g} min)"


def question_choices(rubrics: list[Rubric], category: str | None, difficulty: str | None) -> list[tuple[str, str]]:
    """(label, id) pairs for the question picker, filtered; 'All' or None means no filter."""
    chosen = [
        r for r in rubrics
        if category in (None, "", "All", r.category) and difficulty in (None, "", "All", r.difficulty)
    ]
    return [(question_label(r), r.id) for r in sorted(chosen, key=lambda r: r.title)]
