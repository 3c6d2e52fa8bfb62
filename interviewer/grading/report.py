"""Scorecards as plain text, for the terminal: one question's, or a whole loop's."""

from __future__ import annotations

from collections.abc import Sequence

from interviewer.grading.loop_scorecard import LoopScorecard
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric.models import Rubric


def scorecard_text(card: Scorecard, rubric: Rubric) -> str:
    lines = [
        f"Scorecard: {rubric.title}",
        f"Score {card.score:g}/100, {card.band} (graded by the {card.grader} grader)",
        *(f"Note: {note}" for note in card.notes),
        *(f"Warning: {flag.message}" for flag in card.flags),
        "",
    ]
    for result in card.criteria:
        lines.append(f"{result.name}: level {result.level} of 3 (weight {result.weight:g})")
        if result.reason:
            lines.append(f"  {result.reason}")
        if result.found:
            lines.extend(f'  {found.idea}: you said "{found.quote}"' for found in result.found)
        else:
            lines.extend(f'  You said: "{quote}"' for quote in result.evidence)
        if result.missing:
            lines.append(f"  Did not come up: {', '.join(result.missing)}")
        if result.level < 3:
            lines.append(f"  A level {result.level + 1} answer: {result.next_level or result.strong_answer_adds}")
    if card.red_flags:
        lines += ["", "Red flags:"]
        lines += [f'- {hit.claim} You said: "{hit.quote}" {hit.why} (-{hit.penalty:g})' for hit in card.red_flags]
    if card.next_steps:
        lines += ["", "Next steps:", *(f"- {step}" for step in card.next_steps)]
    lines += ["", "Model answer outline:", *(f"- {point}" for point in rubric.model_answer)]
    return "\n".join(lines)


def loop_scorecard_text(card: LoopScorecard, rubrics: Sequence[Rubric] = ()) -> str:
    """The loop's summary, then each answered question's scorecard when its rubric is given."""
    count = len(card.steps)
    lines = [
        f"Loop scorecard: {card.title} ({card.role}, {card.minutes:g} min)",
        (f"Overall {card.score:g}/100, {card.band} (graded by the {card.grader} grader; "
         f"{card.answered} of {count} questions answered, weighted by their minutes)"),
        "",
    ]
    for number, step in enumerate(card.steps, start=1):
        result = "skipped, counts as 0" if step.skipped else f"{step.score:g}/100, {step.scorecard.band}"
        lines.append(f"{number}. {step.title} ({step.minutes:g} min): {result}")
    if card.flags:
        lines += ["", "Flags:"]
        lines += [f"- {_number_of(card, flag.question_id)}: {flag.message}" for flag in card.flags]
    by_id = {rubric.id: rubric for rubric in rubrics}
    for number, step in enumerate(card.steps, start=1):
        if step.scorecard and step.question_id in by_id:
            lines += ["", f"--- Question {number} of {count} ---", scorecard_text(step.scorecard, by_id[step.question_id])]
    return "\n".join(lines)


def _number_of(card: LoopScorecard, question_id: str) -> str:
    number = next(n for n, step in enumerate(card.steps, start=1) if step.question_id == question_id)
    return f"Question {number}"
