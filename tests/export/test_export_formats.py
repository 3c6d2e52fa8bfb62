from __future__ import annotations

import json
import re

import pytest

from interviewer.engine.state import InterviewState
from interviewer.export import EXPORT_SCHEMA_VERSION, to_html, to_json, to_markdown
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric.models import Rubric
from interviewer.speech.metrics import DeliveryMetrics

from .interviews import EXPORTED, play


def test_markdown_holds_the_whole_scored_session(
    state: InterviewState, rubric: Rubric, card: Scorecard, delivery: DeliveryMetrics
) -> None:
    md = to_markdown(state, rubric, card, delivery, now=EXPORTED)

    assert md.startswith("# Mock interview: Uber driver ETA at ride request\n")
    assert "Exported: 2026-11-21 10:15 UTC" in md
    assert "## Question" in md and "> A rider opens the app, requests a ride" in md
    assert f"**Score: {card.score:.0f}/100, no hire**" in md
    assert "### Integrity warnings" in md and "(instruction-to-grader)" in md
    for result in card.criteria:
        assert f"| {result.name} | {result.weight:g} |" in md
        assert f"### {result.name}: level {result.level} of 3" in md
        assert result.reason in md
        assert result.descriptor not in md  # the rubric's words for the level are not said of the answer
        if result.level < 3:
            assert f"**A level {result.level + 1} answer:** {result.next_level}" in md
    assert "“I&#x27;d" not in md and ": “I'd frame it as regression on seconds to pickup" in md
    assert "## Red flags" in md and "**Red flag: Judges the ETA model by accuracy or a confusion matrix.**" in md
    assert "(−6 points)" in md
    assert "| Words per minute | 142.5 |" in md and "| Fillers per minute | 3.5 |" in md
    assert "| Long pauses | 1 |" in md and "| Longest pause seconds | 3.5 |" in md
    assert "## Transcript" in md
    assert md.count("**Candidate** (") == sum(t.role == "candidate" for t in state.turns)
    assert md.count("**Interviewer** (") == sum(t.role == "interviewer" for t in state.turns)
    assert "**Candidate** (01:00)" in md
    assert "## Model answer outline" in md
    for number, point in enumerate(rubric.model_answer, 1):
        assert f"\n{number}. " in md
    assert md.index("## Question") < md.index("## Result") < md.index("## Criteria") < md.index("## Red flags")
    assert md.index("## Red flags") < md.index("## Delivery") < md.index("## Transcript") < md.index("## Model answer")


def test_markdown_structure_survives_what_the_candidate_typed(state: InterviewState, rubric: Rubric, card: Scorecard) -> None:
    md = to_markdown(state, rubric, card, now=EXPORTED)
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert all(line.startswith(("# Mock interview", "## ", "### ")) for line in headings)
    assert not any("not a heading" in line for line in headings)
    # The typed answer stays inside its quote, line breaks kept, markers shown as text.
    assert "> \\# not a heading  \n> \\- not a list item  \n> &gt; not a quote  \n> 1\\. not a numbered item" in md

    # A quote with line breaks and list syntax stays one list item.
    messy = card.model_copy(deep=True)
    messy.criteria[0].evidence, messy.criteria[0].found = ["first line\n- second item?\n\n> third"], []
    md = to_markdown(state, rubric, messy, now=EXPORTED)
    assert "- “first line - second item? &gt; third”" in md


def test_json_is_the_whole_session_machine_readable(
    state: InterviewState, rubric: Rubric, card: Scorecard, delivery: DeliveryMetrics
) -> None:
    document = json.loads(to_json(state, rubric, card, delivery, now=EXPORTED))

    assert document["schema"] == "ml-mock-interviewer/session-export"
    assert document["schema_version"] == EXPORT_SCHEMA_VERSION
    assert document["exported_at"] == "2026-11-21T10:15:00+00:00"
    assert document["rubric"]["id"] == "uber-eta" and document["rubric"]["version"] == card.rubric_version == 1
    assert "loaded_version" not in document["rubric"]
    assert document["scored"] is True
    assert InterviewState.model_validate(document["state"]) == state
    assert Scorecard.model_validate(document["scorecard"]) == card
    assert DeliveryMetrics.model_validate(document["delivery"]) == delivery


def test_json_names_the_graded_rubric_version_when_the_rubric_moved_on(
    state: InterviewState, rubric: Rubric, card: Scorecard
) -> None:
    newer = rubric.model_copy(update={"version": 3})
    document = json.loads(to_json(state, newer, card, now=EXPORTED))
    assert document["rubric"]["version"] == 1 and document["rubric"]["loaded_version"] == 3
    note = "graded against version 1 of the rubric; the question and model answer shown are from version 3"
    assert note in to_markdown(state, newer, card, now=EXPORTED)
    assert note in to_html(state, newer, card, now=EXPORTED)


def test_json_writes_a_metric_without_a_value_as_null(state: InterviewState, rubric: Rubric, card: Scorecard) -> None:
    silent = DeliveryMetrics(duration_seconds=4, talk_seconds=0, word_count=0, filler_count=0, pause_source="audio")
    document = json.loads(to_json(state, rubric, card, silent))
    assert document["delivery"]["words_per_minute"] is None and document["delivery"]["word_count"] == 0
    assert "n/a" in to_html(state, rubric, card, silent)


def test_html_page_has_every_part(state: InterviewState, rubric: Rubric, card: Scorecard, delivery: DeliveryMetrics) -> None:
    page = to_html(state, rubric, card, delivery, now=EXPORTED)

    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<title>Mock interview: Uber driver ETA at ride request (2026-11-21 09:30 UTC)</title>" in page
    assert "A rider opens the app, requests a ride" in page
    assert f'<p class="score">{card.score:.0f}<small>/100</small><span class="band">no hire</span>' in page
    assert '<svg class="gauge"' in page
    assert page.count('aria-label="level ') == 2 * len(card.criteria)  # chart row and criterion card
    for result in card.criteria:
        assert f'aria-label="level {result.level} of 3"' in page
        assert f'id="criterion-{result.id}"' in page
        assert f"level {result.level} of 3, weight {result.weight:g}" in page
    assert re.search(r"A level \d answer:", page)
    assert "I&#x27;d frame it as regression on seconds to pickup" in page
    assert '<div class="red-flag"><p><strong>Red flag</strong> Judges the ETA model by accuracy' in page
    assert '<div class="warning"><strong>Warning</strong> (instruction-to-grader)' in page
    assert "<td>Words per minute</td><td class=\"num\">142.5</td>" in page
    assert page.count('<div class="turn candidate">') == sum(t.role == "candidate" for t in state.turns)
    assert page.count('<div class="turn interviewer">') == sum(t.role == "interviewer" for t in state.turns)
    assert '<section id="model-answer" class="new-page">' in page
    assert all(f"<li>{point.replace(chr(39), '&#x27;')}</li>" in page for point in rubric.model_answer)


def test_html_is_self_contained_and_prints(state: InterviewState, rubric: Rubric, card: Scorecard, delivery: DeliveryMetrics) -> None:
    page = to_html(state, rubric, card, delivery, now=EXPORTED)

    assert not re.search(r"""(src|href|action|xlink:href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<(script|link|iframe|img|object|embed)\b", page, re.IGNORECASE)
    assert "@import" not in page and "url(" not in page
    assert re.search(r"\son\w+\s*=", page) is None  # no event handler attributes
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "@media print" in page and "break-before: page" in page and "break-inside: avoid" in page
    assert page.count('class="new-page"') == 3  # criteria, transcript, model answer


def test_an_unscored_session_exports_too(rubric: Rubric) -> None:
    state = play(rubric, ["How much data do we have?"], finish=False)
    assert state.phase != "scored"

    assert "## Result\n\nNot scored yet." in to_markdown(state, rubric, None, now=EXPORTED)
    assert "<p>Not scored yet.</p>" in to_html(state, rubric, None, now=EXPORTED)
    document = json.loads(to_json(state, rubric, None, now=EXPORTED))
    assert document["scored"] is False and document["scorecard"] is None and document["delivery"] is None
    assert document["rubric"]["version"] == state.rubric_version


def test_exports_are_pure(state: InterviewState, rubric: Rubric, card: Scorecard, delivery: DeliveryMetrics) -> None:
    for export in (to_markdown, to_json, to_html):
        assert export(state, rubric, card, delivery, now=EXPORTED) == export(state, rubric, card, delivery, now=EXPORTED)


@pytest.mark.parametrize("export", [to_markdown, to_json, to_html])
def test_a_rubric_or_scorecard_for_another_question_is_refused(
    export, state: InterviewState, rubric: Rubric, card: Scorecard
) -> None:
    other = rubric.model_copy(update={"id": "fraud-detection"})
    with pytest.raises(ValueError, match="the rubric is 'fraud-detection' but the session is an interview on 'uber-eta'"):
        export(state, other, card)
    with pytest.raises(ValueError, match="the scorecard is for 'fraud-detection'"):
        export(state, rubric, card.model_copy(update={"question_id": "fraud-detection"}))
