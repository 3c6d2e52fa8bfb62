"""Whatever the candidate types is shown as text in every export, never run or parsed as markup."""

from __future__ import annotations

import json

import pytest

from interviewer.engine.state import InterviewState
from interviewer.export import to_html, to_json, to_markdown
from interviewer.grading.scorecard import IntegrityFlag, RedFlagHit, Scorecard
from interviewer.rubric.models import Rubric
from interviewer.speech.metrics import DeliveryMetrics

from .interviews import EXPORTED, SCRIPT

IMG = '<img src=x onerror="alert(2)">'
ENTITY_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
EXPORTS = {"markdown": to_markdown, "json": to_json, "html": to_html}


@pytest.fixture(scope="module")
def hostile_card(card: Scorecard) -> Scorecard:
    # Every field a candidate's words can reach: quotes, red-flag quotes, flag messages, notes.
    hostile = card.model_copy(deep=True)
    hostile.criteria[1].evidence.append(f"{IMG} and {SCRIPT}")
    hostile.red_flags.append(
        RedFlagHit(id="x", claim="claim", why="why", quote=f"I'd {SCRIPT} randomly split", penalty=5)
    )
    hostile.flags.append(IntegrityFlag(code="off-topic", message=f"Off topic: '{IMG}'"))
    hostile.strengths.append(f"Said {SCRIPT}")
    return hostile


def test_the_candidate_really_typed_the_tag(state: InterviewState, card: Scorecard) -> None:
    assert any(SCRIPT in t.text for t in state.turns if t.role == "candidate")
    assert any(SCRIPT in quote for result in card.criteria for quote in result.evidence)
    assert any("<b>" in hit.quote for hit in card.red_flags)


@pytest.mark.parametrize("name", EXPORTS)
def test_no_raw_tag_reaches_any_export(
    name: str, state: InterviewState, rubric: Rubric, hostile_card: Scorecard, delivery: DeliveryMetrics
) -> None:
    text = EXPORTS[name](state, rubric, hostile_card, delivery, now=EXPORTED)

    for raw in ("<script", "</script", "<img", "<b>"):
        assert raw not in text.lower()
    if name == "json":
        assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in text
    else:
        assert ENTITY_ESCAPED in text
        assert "&lt;img src=x onerror=" in text


def test_json_escapes_only_the_encoding_not_the_text(
    state: InterviewState, rubric: Rubric, hostile_card: Scorecard
) -> None:
    document = json.loads(to_json(state, rubric, hostile_card, now=EXPORTED))
    candidate = " ".join(t["text"] for t in document["state"]["turns"] if t["role"] == "candidate")
    assert SCRIPT in candidate
    assert IMG in document["scorecard"]["flags"][-1]["message"]


def test_html_escapes_attribute_breaking_quotes(state: InterviewState, rubric: Rubric, hostile_card: Scorecard) -> None:
    page = to_html(state, rubric, hostile_card, now=EXPORTED)
    assert 'onerror=&quot;alert(2)&quot;' in page


def test_markdown_neutralises_links_and_code(state: InterviewState, rubric: Rubric, card: Scorecard) -> None:
    tricky = card.model_copy(deep=True)
    tricky.criteria[0].evidence = ["see ![x](https://evil.example/pixel.png) and [me](javascript:alert(1)) `code` | pipe"]
    tricky.criteria[0].found = []
    md = to_markdown(state, rubric, tricky, now=EXPORTED)
    assert "see !\\[x\\](https://evil.example/pixel.png) and \\[me\\](javascript:alert(1)) \\`code\\` \\| pipe" in md
    assert "![x](" not in md and "[me](" not in md
