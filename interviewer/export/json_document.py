"""The whole session, machine-readable: state, scorecard, delivery and what it was graded against."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from interviewer.engine.state import InterviewState
from interviewer.export.common import (
    EXPORT_SCHEMA_VERSION,
    Delivery,
    check_matches,
    graded_version,
    utc_now,
)
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric.models import Rubric

SCHEMA_NAME = "ml-mock-interviewer/session-export"
# JSON strings may hold these as \u escapes; writing them so keeps a typed "<script>" inert even
# when the document is pasted into HTML, and the raw tag out of every export.
HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def to_json(
    state: InterviewState,
    rubric: Rubric,
    scorecard: Scorecard | None,
    delivery: Delivery | None = None,
    *,
    now: datetime | None = None,
) -> str:
    return json.dumps(export_document(state, rubric, scorecard, delivery, now=now), indent=2, ensure_ascii=False,
                      allow_nan=False).translate(HTML_SAFE) + "\n"


def export_document(
    state: InterviewState,
    rubric: Rubric,
    scorecard: Scorecard | None,
    delivery: Delivery | None = None,
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    check_matches(state, rubric, scorecard)
    version = graded_version(state, scorecard)
    rubric_part: dict[str, Any] = {"id": rubric.id, "version": version, "title": rubric.title, "prompt": rubric.prompt}
    if rubric.version != version:
        rubric_part["loaded_version"] = rubric.version  # the title and prompt above come from this one
    return {
        "schema": SCHEMA_NAME,
        "schema_version": EXPORT_SCHEMA_VERSION,
        "exported_at": (now or utc_now()).astimezone(UTC).isoformat(),
        "rubric": rubric_part,
        "scored": scorecard is not None,
        "state": state.model_dump(mode="json"),
        "scorecard": scorecard.model_dump(mode="json") if scorecard is not None else None,
        "delivery": delivery.model_dump(mode="json") if delivery is not None else None,
    }
