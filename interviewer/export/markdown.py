"""The scored transcript as Markdown, readable both raw and rendered.

Every piece of text (the candidate's above all) goes through `inline` or `block`: raw HTML is
turned into entities, link and code syntax is escaped, and nothing can start a heading, list,
quote or code block of its own, so a typed answer can neither run script in a renderer nor
break the document's structure.
"""

from __future__ import annotations

import re
from datetime import datetime

from interviewer.engine.state import InterviewState
from interviewer.export.common import (
    ROLE_LABELS,
    Delivery,
    band_label,
    check_matches,
    delivery_figures,
    elapsed,
    graded_version,
    metric_label,
    metric_value,
    session_line,
    utc_now,
    version_note,
    when,
)
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric.models import Rubric

# Characters with meaning anywhere in a line: code spans, links and images, table cells, escapes.
_INLINE_SYNTAX = re.compile(r"([\\`\[\]|])")
# What would open a block at the start of a line (CommonMark): heading, quote, list item,
# thematic break, setext underline, fence ('>' is already an entity). The group is the character to escape.
_BLOCK_START = re.compile(
    r"^(?:(#)#{0,5}(?=\s|$)|([-+*])(?=\s|$)|\d{1,9}([.)])(?=\s|$)|([=-])[=-]*\s*$"
    r"|([-*_])(?:\s*[-*_]){2,}\s*$|(~)~~)"
)


def inline(text: str) -> str:
    """Text safe inside a line: one line, no raw HTML, no Markdown syntax of its own."""
    return _line(" ".join(text.split()))


def block(text: str, prefix: str = "> ") -> str:
    """Multi-line text as a blockquote (or any prefix), line breaks kept, nothing escaping it."""
    lines = [_line(line.strip()) for line in text.strip().splitlines()] or [""]
    out = []
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        # Two trailing spaces keep a single line break a break when rendered, not a space.
        out.append(f"{prefix}{line}{'  ' if line and following else ''}" if line else prefix.rstrip())
    return "\n".join(out)


def _line(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE_SYNTAX.sub(r"\\\1", text)
    match = _BLOCK_START.match(text)
    if match:
        # "1." becomes "1\." and "# x" becomes "\# x": shown as typed, parsed as text.
        at = next(match.start(g) for g in range(1, len(match.groups()) + 1) if match.group(g) is not None)
        text = text[:at] + "\\" + text[at:]
    return text


def _quote(text: str) -> str:
    return f"“{inline(text)}”"


def to_markdown(
    state: InterviewState,
    rubric: Rubric,
    scorecard: Scorecard | None,
    delivery: Delivery | None = None,
    *,
    now: datetime | None = None,
) -> str:
    check_matches(state, rubric, scorecard)
    out: list[str] = [f"# Mock interview: {inline(rubric.title)}", ""]
    out += [
        f"- Question: {inline(rubric.id)}, rubric version {graded_version(state, scorecard)}",
        f"- {session_line(state)}",
    ]
    if scorecard is not None:
        out.append(f"- Graded by: {inline(scorecard.grader)}")
    out += [f"- Exported: {when(now or utc_now())}", ""]
    note = version_note(state, rubric, scorecard)
    if note:
        out += [f"*{note}*", ""]

    out += ["## Question", "", block(rubric.prompt), ""]
    out += _result(scorecard) if scorecard is not None else ["## Result", "", "Not scored yet.", ""]
    if delivery:
        out += ["## Delivery", "", "| Metric | Value |", "| --- | --- |"]
        figures = delivery_figures(delivery).items()
        out += [f"| {inline(metric_label(name))} | {metric_value(value)} |" for name, value in figures]
        out.append("")

    out += ["## Transcript", ""]
    for turn in state.turns:
        out += [f"**{ROLE_LABELS[turn.role]}** ({elapsed(state, turn)})", "", block(turn.text), ""]
    if not state.turns:
        out += ["No turns yet.", ""]

    out += ["## Model answer outline", ""]
    out += [f"{number}. {inline(point)}" for number, point in enumerate(rubric.model_answer, 1)]
    return "\n".join(out) + "\n"


def _result(card: Scorecard) -> list[str]:
    out = ["## Result", "", f"**Score: {card.score:.0f}/100, {band_label(card.band)}**", ""]
    out += [f"*Note: {inline(note)}*" for note in card.notes] + ([""] if card.notes else [])
    if card.flags:
        out += ["### Integrity warnings", ""]
        out += [f"- **Warning ({flag.code}):** {inline(flag.message)}" for flag in card.flags] + [""]
    out += ["### Level per criterion", "", "| Criterion | Weight | Level |", "| --- | ---: | --- |"]
    for result in card.criteria:
        bar = "■" * result.level + "□" * (3 - result.level)
        out.append(f"| {inline(result.name)} | {result.weight:g} | {bar} {result.level}/3 |")
    out.append("")
    if card.strengths:
        out += ["### Strengths", "", *(f"- {inline(s)}" for s in card.strengths), ""]
    if card.next_steps:
        out += ["### Next steps", "", *(f"- {inline(s)}" for s in card.next_steps), ""]

    out += ["## Criteria", ""]
    for result in card.criteria:
        out += [f"### {inline(result.name)}: level {result.level} of 3", ""]
        if result.reason:
            out += [inline(result.reason), ""]
        if result.found:
            out += ["What you said:", "", *(f"- {inline(f.idea)}: {_quote(f.quote)}" for f in result.found), ""]
        elif result.evidence:
            out += ["What you said:", "", *(f"- {_quote(q)}" for q in result.evidence), ""]
        else:
            out += ["What you said: nothing that counts as evidence for this criterion.", ""]
        if result.missing:
            out += [f"**Did not come up:** {inline(', '.join(result.missing))}", ""]
        if result.level < 3:
            out += [f"**A level {result.level + 1} answer:** "
                    f"{inline(result.next_level or result.strong_answer_adds)}", ""]

    if card.red_flags:
        out += ["## Red flags", ""]
        for hit in card.red_flags:
            out.append(
                f"- **Red flag: {inline(hit.claim)}** You said {_quote(hit.quote)}. "
                f"{inline(hit.why)} (−{hit.penalty:g} points)"
            )
        out.append("")
    return out
