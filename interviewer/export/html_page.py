"""The scored transcript as one self-contained HTML page: inline CSS and SVG, no script, no
external resources, laid out to print (page breaks between parts, legible in black and white).

Every piece of text goes through `html.escape`; a Content-Security-Policy that allows no script
and no network is a second line of defence should anything ever slip through.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from interviewer.engine.state import InterviewState
from interviewer.export.common import (
    ROLE_LABELS,
    Delivery,
    band_label,
    check_matches,
    delivery_figures,
    elapsed,
    graded_version,
    level_text,
    metric_label,
    metric_value,
    session_line,
    utc_now,
    version_note,
    when,
)
from interviewer.grading.scorecard import BAND_FLOORS, BANDS, CriterionResult, Scorecard
from interviewer.rubric.models import Rubric

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
:root { --ink: #1a1a1a; --muted: #5a5a5a; --line: #c8c8c8; --accent: #1f4e8c; --warn: #8a4b00; }
* { box-sizing: border-box; }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); background: #fff; max-width: 54rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .4rem; }
h2 { font-size: 1.25rem; margin: 0 0 .6rem; }
h3 { font-size: 1.05rem; margin: 0 0 .3rem; }
h4 { font-size: .95rem; margin: .6rem 0 .2rem; }
.meta { color: var(--muted); margin: 0; padding: 0; list-style: none; font-size: .92rem; }
section { margin-top: 1.6rem; padding-top: 1rem; border-top: 1px solid var(--line); }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: .25rem 0; }
blockquote { margin: .35rem 0; padding: .15rem .8rem; border-left: 4px solid var(--line); }
.note { font-style: italic; color: var(--muted); }
.score { font-size: 2.2rem; font-weight: 700; margin: 0; }
.band { display: inline-block; margin-left: .6rem; padding: .05rem .55rem; border: 2px solid currentColor;
        border-radius: 4px; font-size: 1rem; font-weight: 700; text-transform: uppercase; letter-spacing: .04em;
        vertical-align: middle; }
.gauge { display: block; width: 100%; max-width: 30rem; height: auto; margin: .5rem 0 1rem; }
.warning { border: 2px solid var(--warn); border-radius: 4px; padding: .5rem .8rem; margin: .6rem 0; }
.warning strong, .red-flag strong { text-transform: uppercase; letter-spacing: .03em; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: .85rem; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
.levels svg { display: block; }
.criterion { margin: 0 0 1.2rem; padding: .6rem .8rem; border: 1px solid var(--line); border-radius: 4px; }
.criterion .level { font-weight: 400; color: var(--muted); }
.adds { margin: .4rem 0 0; }
.red-flag { border-left: 4px double var(--ink); padding: .3rem .8rem; margin: .6rem 0; }
.turn { margin: .8rem 0; }
.turn .who { font-weight: 700; }
.turn time { color: var(--muted); font-size: .85rem; margin-left: .4rem; }
.turn .text { padding-left: .8rem; border-left: 4px solid var(--line); }
.turn.candidate .text { border-left: 4px solid var(--accent); }
ol.outline li { margin: .2rem 0; }
@page { margin: 16mm 15mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; color: #000; }
  section { border-top: none; margin-top: 1rem; }
  section.new-page { break-before: page; page-break-before: always; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  .criterion, .turn, .red-flag, .warning, table, tr, blockquote, svg { break-inside: avoid; page-break-inside: avoid; }
  .criterion { border-color: #777; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".strip()


def to_html(
    state: InterviewState,
    rubric: Rubric,
    scorecard: Scorecard | None,
    delivery: Delivery | None = None,
    *,
    now: datetime | None = None,
) -> str:
    check_matches(state, rubric, scorecard)
    title = f"Mock interview: {rubric.title}"
    meta = [f"Question {rubric.id}, rubric version {graded_version(state, scorecard)}", session_line(state)]
    if scorecard is not None:
        meta.append(f"Graded by the {scorecard.grader} grader")
    meta.append(f"Exported {when(now or utc_now())}")
    note = version_note(state, rubric, scorecard)
    parts = [
        "<header>",
        f"<h1>{escape(title)}</h1>",
        '<ul class="meta">', *(f"<li>{escape(line)}</li>" for line in meta), "</ul>",
        f'<p class="note">{escape(note)}</p>' if note else "",
        "</header>",
        *question_parts(state, rubric, scorecard, delivery),
    ]
    return page(f"{title} ({when(state.started_at)})", parts)


def question_parts(
    state: InterviewState, rubric: Rubric, scorecard: Scorecard | None, delivery: Delivery | None
) -> list[str]:
    """The question, its result, the transcript and the model answer, as sections of a page."""
    parts = [
        '<section id="question"><h2>Question</h2>',
        f'<blockquote><p class="text">{escape(rubric.prompt)}</p></blockquote></section>',
    ]
    if scorecard is None:
        parts.append('<section id="result"><h2>Result</h2><p>Not scored yet.</p></section>')
        parts += _delivery(delivery) if delivery else []
    else:
        parts.append(scorecard_sections(scorecard, delivery))
    parts += _transcript(state)
    parts += [
        '<section id="model-answer" class="new-page"><h2>Model answer outline</h2><ol class="outline">',
        *(f"<li>{escape(point)}</li>" for point in rubric.model_answer),
        "</ol></section>",
    ]
    return parts


def page(title: str, parts: list[str]) -> str:
    """A self-contained, printable HTML document around `parts` (already escaped)."""
    body = "\n".join(part for part in parts if part)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>\n{CSS}\n</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def scorecard_sections(card: Scorecard, delivery: Delivery | None = None) -> str:
    """Result, delivery metrics and criteria as HTML sections; also shown in the app."""
    parts = [*_result(card), *(_delivery(delivery) if delivery else []), *_criteria_details(card)]
    return "\n".join(part for part in parts if part)


def _result(card: Scorecard) -> list[str]:
    parts = [
        '<section id="result"><h2>Result</h2>',
        (
            f'<p class="score">{card.score:.0f}<small>/100</small>'
            f'<span class="band">{escape(band_label(card.band))}</span></p>'
        ),
        _gauge(card.score),
        *(f'<p class="note">Note: {escape(note)}</p>' for note in card.notes),
        *(
            f'<div class="warning"><strong>Warning</strong> ({escape(flag.code)}): {escape(flag.message)}</div>'
            for flag in card.flags
        ),
    ]
    parts += [
        '<h3>Level per criterion</h3><table class="levels">',
        '<thead><tr><th>Criterion</th><th class="num">Weight</th><th>Level</th><th class="num">of 3</th></tr></thead>',
        "<tbody>",
        *(
            f'<tr><td>{escape(r.name)}</td><td class="num">{r.weight:g}</td>'
            f'<td>{_level_bar(r.level)}</td><td class="num">{r.level}/3</td></tr>'
            for r in card.criteria
        ),
        "</tbody></table>",
    ]
    if card.strengths:
        parts += ["<h3>Strengths</h3><ul>", *(f"<li>{escape(s)}</li>" for s in card.strengths), "</ul>"]
    if card.next_steps:
        parts += ["<h3>Next steps</h3><ul>", *(f"<li>{escape(s)}</li>" for s in card.next_steps), "</ul>"]
    parts.append("</section>")
    return parts


def _gauge(score: float) -> str:
    """Score on a 0-100 bar with the band boundaries marked; shapes and labels, not colour, carry it."""
    width = 400

    def x(value: float) -> float:
        return round(value * width / 100, 1)

    floors = [0.0, *BAND_FLOORS.values(), 100.0]
    labels = "".join(
        f'<text x="{x((low + high) / 2)}" y="40" font-size="10" text-anchor="middle" fill="#333">'
        f"{escape(band_label(band))}</text>"
        for band, low, high in zip(BANDS, floors, floors[1:], strict=False)
    )
    ticks = "".join(
        f'<line x1="{x(f)}" y1="2" x2="{x(f)}" y2="26" stroke="#000" stroke-width="1.5"/>' for f in BAND_FLOORS.values()
    )
    return (
        f'<svg class="gauge" viewBox="-2 0 {width + 4} 46" role="img" aria-label="score {score:.0f} of 100">'
        f'<rect x="0" y="6" width="{width}" height="16" fill="#fff" stroke="#000"/>'
        f'<rect x="0" y="6" width="{x(score)}" height="16" fill="#1f4e8c" stroke="#000"/>'
        f"{ticks}{labels}</svg>"
    )


def _level_bar(level: int) -> str:
    boxes = "".join(
        f'<rect x="{1 + i * 30}" y="1" width="26" height="14" fill="{"#1f4e8c" if i < level else "#fff"}" '
        f'stroke="#000" stroke-width="1"/>'
        for i in range(3)
    )
    return f'<svg width="90" height="16" viewBox="0 0 90 16" role="img" aria-label="level {level} of 3">{boxes}</svg>'


def _criteria_details(card: Scorecard) -> list[str]:
    parts = ['<section id="criteria" class="new-page"><h2>Criteria</h2>']
    parts += [_criterion(result) for result in card.criteria]
    parts.append("</section>")
    if card.red_flags:
        parts.append('<section id="red-flags"><h2>Red flags</h2>')
        parts += [
            f'<div class="red-flag"><p><strong>Red flag</strong> {escape(hit.claim)} '
            f"(−{hit.penalty:g} points)</p>"
            f"<blockquote><p class=\"text\">You said: “{escape(hit.quote)}”</p></blockquote>"
            f"<p>{escape(hit.why)}</p></div>"
            for hit in card.red_flags
        ]
        parts.append("</section>")
    return parts


def _criterion(result: CriterionResult) -> str:
    quoted = [(f"{found.idea}: ", found.quote) for found in result.found] or [("", q) for q in result.evidence]
    quotes = (
        "".join(f'<blockquote><p class="text">{escape(idea)}“{escape(q)}”</p></blockquote>' for idea, q in quoted)
        if quoted
        else "<p>Nothing you said counts as evidence for this criterion.</p>"
    )
    missing = (
        f"<p><strong>Did not come up:</strong> {escape(', '.join(result.missing))}</p>" if result.missing else ""
    )
    adds = (
        f'<p class="adds"><strong>A level {result.level + 1} answer:</strong> '
        f"{escape(result.next_level or result.strong_answer_adds)}</p>"
        if result.level < 3
        else ""
    )
    reason = f"<p>{escape(result.reason)}</p>" if result.reason else ""
    return (
        f'<article class="criterion" id="criterion-{escape(result.id)}">'
        f'<h3>{escape(result.name)} <span class="level">level {level_text(result.level)}, '
        f"weight {result.weight:g}</span></h3>"
        f"{_level_bar(result.level)}{reason}"
        f"<h4>What you said</h4>{quotes}{missing}{adds}</article>"
    )


def _delivery(delivery: Delivery) -> list[str]:
    return [
        '<section id="delivery"><h2>Delivery</h2><table>',
        '<thead><tr><th>Metric</th><th class="num">Value</th></tr></thead><tbody>',
        *(
            f'<tr><td>{escape(metric_label(name))}</td><td class="num">{escape(metric_value(value))}</td></tr>'
            for name, value in delivery_figures(delivery).items()
        ),
        "</tbody></table></section>",
    ]


def _transcript(state: InterviewState) -> list[str]:
    parts = ['<section id="transcript" class="new-page"><h2>Transcript</h2>']
    for turn in state.turns:
        parts.append(
            f'<div class="turn {turn.role}"><span class="who">{ROLE_LABELS[turn.role]}</span>'
            f'<time datetime="{escape(turn.at.isoformat())}">{elapsed(state, turn)}</time>'
            f'<p class="text">{escape(turn.text)}</p></div>'
        )
    if not state.turns:
        parts.append("<p>No turns yet.</p>")
    parts.append("</section>")
    return parts
