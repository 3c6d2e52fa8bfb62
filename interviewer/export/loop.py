"""A whole interview loop as one download: the combined result, then each question as its own export shows it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from interviewer.engine.state import InterviewState
from interviewer.export.common import EXPORT_SCHEMA_VERSION, Delivery, band_label, utc_now, when
from interviewer.export.html_page import page, question_parts
from interviewer.export.json_document import HTML_SAFE, export_document
from interviewer.export.markdown import inline, to_markdown
from interviewer.grading.loop_scorecard import LoopScorecard, LoopStepResult
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric.models import Rubric

LOOP_SCHEMA_NAME = "ml-mock-interviewer/loop-export"


@dataclass(frozen=True)
class LoopPart:
    """One question the candidate opened, with the rubric it was held against."""

    state: InterviewState
    rubric: Rubric
    scorecard: Scorecard | None
    delivery: Delivery | None = None


def _step_text(step: LoopStepResult) -> str:
    result = "skipped, counts as 0" if step.skipped or step.scorecard is None else (
        f"{step.score:g}/100, {band_label(step.scorecard.band)}"
    )
    return f"{step.title} ({step.minutes:g} min): {result}"


def loop_markdown(card: LoopScorecard, parts: list[LoopPart], *, now: datetime | None = None) -> str:
    out = [
        f"# Mock interview loop: {inline(card.title)} ({inline(card.role)})", "",
        f"**Overall: {card.score:.0f}/100, {band_label(card.band)}** ({card.answered} of {len(card.steps)} "
        "questions answered; each question weighs by its minutes)", "",
        *(f"{number}. {inline(_step_text(step))}" for number, step in enumerate(card.steps, start=1)), "",
        f"Exported: {when(now or utc_now())}", "",
    ]
    for number, part in enumerate(parts, start=1):
        question = to_markdown(part.state, part.rubric, part.scorecard, part.delivery, now=now)
        out += ["---", "", f"Question {number} of {len(card.steps)}", "", question]
    return "\n".join(out)


def loop_json(card: LoopScorecard, parts: list[LoopPart], *, now: datetime | None = None) -> str:
    document = {
        "schema": LOOP_SCHEMA_NAME,
        "schema_version": EXPORT_SCHEMA_VERSION,
        "exported_at": (now or utc_now()).astimezone(UTC).isoformat(),
        "loop": {"id": card.loop_id, "version": card.loop_version, "title": card.title, "role": card.role},
        "scorecard": card.model_dump(mode="json"),
        "questions": [export_document(p.state, p.rubric, p.scorecard, p.delivery, now=now) for p in parts],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False).translate(HTML_SAFE) + "\n"


def loop_html(card: LoopScorecard, parts: list[LoopPart], *, now: datetime | None = None) -> str:
    rows = "".join(f"<li>{escape(_step_text(step))}</li>" for step in card.steps)
    body = [
        f"<header><h1>Mock interview loop: {escape(card.title)} ({escape(card.role)})</h1>",
        f'<ul class="meta"><li>Exported {escape(when(now or utc_now()))}</li></ul></header>',
        f'<section><p class="score">{card.score:.0f}<small>/100</small>'
        f'<span class="band">{escape(band_label(card.band))}</span></p>'
        f"<p>{card.answered} of {len(card.steps)} questions answered; each question weighs by its minutes.</p>"
        f"<ol>{rows}</ol></section>",
    ]
    for number, part in enumerate(parts, start=1):
        body += [f'<section class="new-page"><h1>Question {number}: {escape(part.rubric.title)}</h1></section>']
        body += question_parts(part.state, part.rubric, part.scorecard, part.delivery)
    return page(f"Mock interview loop: {card.title}", body)
