"""The scorecard as plain text, for the terminal."""

from __future__ import annotations

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
        lines.append(f"  {result.descriptor}")
        lines.extend(f'  You said: "{quote}"' for quote in result.evidence)
        if result.level < 3:
            lines.append(f"  A strong answer: {result.strong_answer_adds}")
    if card.red_flags:
        lines += ["", "Red flags:"]
        lines += [f'- {hit.claim} You said: "{hit.quote}" {hit.why} (-{hit.penalty:g})' for hit in card.red_flags]
    if card.next_steps:
        lines += ["", "Next steps:", *(f"- {step}" for step in card.next_steps)]
    lines += ["", "Model answer outline:", *(f"- {point}" for point in rubric.model_answer)]
    return "\n".join(lines)
