"""Exports written to files with names a person recognises, for download buttons."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Literal

from interviewer.engine.state import InterviewState
from interviewer.export.common import Delivery
from interviewer.export.html_page import to_html
from interviewer.export.json_document import to_json
from interviewer.export.markdown import to_markdown
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric.models import Rubric

ExportFormat = Literal["md", "json", "html"]
Exporter = Callable[..., str]
EXPORTERS: dict[str, Exporter] = {"md": to_markdown, "json": to_json, "html": to_html}


def render(
    fmt: ExportFormat,
    state: InterviewState,
    rubric: Rubric,
    scorecard: Scorecard | None,
    delivery: Delivery | None = None,
    *,
    now: datetime | None = None,
) -> str:
    try:
        exporter = EXPORTERS[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}; choose one of: {', '.join(EXPORTERS)}") from None
    return exporter(state, rubric, scorecard, delivery, now=now)


def export_filename(state: InterviewState, fmt: ExportFormat, tz: tzinfo = UTC) -> str:
    """E.g. uber-eta-2026-11-21-0930.md: the question and when the interview started."""
    started = state.started_at if state.started_at.tzinfo else state.started_at.replace(tzinfo=UTC)
    return f"{state.question_id}-{started.astimezone(tz):%Y-%m-%d-%H%M}.{fmt}"


def write_export(
    fmt: ExportFormat,
    state: InterviewState,
    rubric: Rubric,
    scorecard: Scorecard | None,
    delivery: Delivery | None = None,
    *,
    directory: Path | None = None,
    now: datetime | None = None,
) -> Path:
    """Render and write one export; returns its path.

    Without `directory`, each call gets a fresh folder under the system temp directory (which
    Gradio serves files from), so two users' downloads never overwrite each other. Pass one
    folder per session to overwrite the same file after every turn instead of accumulating copies.
    """
    text = render(fmt, state, rubric, scorecard, delivery, now=now)
    folder = directory if directory is not None else Path(tempfile.mkdtemp(prefix="interviewer-export-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / export_filename(state, fmt)
    path.write_text(text, encoding="utf-8")
    return path
