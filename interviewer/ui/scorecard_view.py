"""The scorecard as shown in the app: the same sections as the HTML export, styled for the page."""

from __future__ import annotations

from html import escape

from interviewer.speech.metrics import DeliveryMetrics
from interviewer.export.html_page import scorecard_sections
from interviewer.grading.loop_scorecard import LoopScorecard
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric.models import Rubric

# Scoped to the scorecard's own class, so it styles the Interview, History and Coach cards alike
# and nothing else in the app.
STYLE = """<style>
.scorecard-view .score { font-size: 2rem; font-weight: 700; margin: 0; }
.scorecard-view .band { margin-left: .6rem; padding: .05rem .5rem; border: 2px solid currentColor; border-radius: 4px;
  font-size: .95rem; text-transform: uppercase; }
.scorecard-view .gauge { width: 100%; max-width: 28rem; height: auto; }
.scorecard-view .criterion { margin: 0 0 1rem; padding: .5rem .8rem; border: 1px solid #ccc; border-radius: 4px; }
.scorecard-view blockquote { margin: .3rem 0; padding: .1rem .7rem; border-left: 4px solid #ccc; }
.scorecard-view .warning { border: 2px solid #8a4b00; border-radius: 4px; padding: .4rem .7rem; }
.scorecard-view .red-flag { border-left: 4px double currentColor; padding: .3rem .7rem; margin: .5rem 0; }
.scorecard-view table { border-collapse: collapse; width: 100%; }
.scorecard-view th, .scorecard-view td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #ddd; }
</style>"""


def scorecard_html(card: Scorecard, rubric: Rubric, delivery: DeliveryMetrics | None = None) -> str:
    outline = "".join(f"<li>{escape(point)}</li>" for point in rubric.model_answer)
    return (
        f"{STYLE}<div class='scorecard-view'>{scorecard_sections(card, delivery)}"
        f"<section><h2>Model answer outline</h2><ol>{outline}</ol></section></div>"
    )


def loop_scorecard_html(card: LoopScorecard) -> str:
    """The loop's overall result and a line per question, then each answered question's scorecard."""
    rows = "".join(
        f"<tr><td>{number}</td><td>{escape(step.title)}</td><td>{step.minutes:g} min</td>"
        f"<td>{'skipped (0)' if step.skipped else f'{step.score:g}/100, {escape(step.scorecard.band)}'}</td></tr>"
        for number, step in enumerate(card.steps, start=1)
    )
    sections = "".join(
        f"<section><h2>Question {number}: {escape(step.title)}</h2>{scorecard_sections(step.scorecard)}</section>"
        for number, step in enumerate(card.steps, start=1) if step.scorecard
    )
    return (
        f"{STYLE}<div class='scorecard-view'><section><h2>{escape(card.title)} ({escape(card.role)})</h2>"
        f"<p class='score'>{card.score:.0f}<small>/100</small><span class='band'>{escape(card.band)}</span></p>"
        f"<p>{card.answered} of {len(card.steps)} questions answered; the overall score weighs each by its minutes.</p>"
        f"<table><tr><th>#</th><th>Question</th><th>Time</th><th>Result</th></tr>{rows}</table></section>"
        f"{sections}</div>"
    )
