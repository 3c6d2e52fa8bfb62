"""The scorecard as shown in the app: the same sections as the HTML export, styled for the page."""

from __future__ import annotations

from html import escape

from interviewer.export.common import Delivery
from interviewer.export.html_page import scorecard_sections
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric.models import Rubric

# Scoped to #scorecard so it never restyles the rest of the app.
STYLE = """<style>
#scorecard .score { font-size: 2rem; font-weight: 700; margin: 0; }
#scorecard .band { margin-left: .6rem; padding: .05rem .5rem; border: 2px solid currentColor; border-radius: 4px;
  font-size: .95rem; text-transform: uppercase; }
#scorecard .gauge { width: 100%; max-width: 28rem; height: auto; }
#scorecard .criterion { margin: 0 0 1rem; padding: .5rem .8rem; border: 1px solid #ccc; border-radius: 4px; }
#scorecard blockquote { margin: .3rem 0; padding: .1rem .7rem; border-left: 4px solid #ccc; }
#scorecard .warning { border: 2px solid #8a4b00; border-radius: 4px; padding: .4rem .7rem; }
#scorecard .red-flag { border-left: 4px double currentColor; padding: .3rem .7rem; margin: .5rem 0; }
#scorecard table { border-collapse: collapse; width: 100%; }
#scorecard th, #scorecard td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #ddd; }
</style>"""


def scorecard_html(card: Scorecard, rubric: Rubric, delivery: Delivery | None = None) -> str:
    outline = "".join(f"<li>{escape(point)}</li>" for point in rubric.model_answer)
    return (
        f"{STYLE}<div class='scorecard-view'>{scorecard_sections(card, delivery)}"
        f"<section><h2>Model answer outline</h2><ol>{outline}</ol></section></div>"
    )

