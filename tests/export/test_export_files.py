from __future__ import annotations

from datetime import timedelta, timezone
from pathlib import Path

import pytest

from interviewer.engine.state import InterviewState
from interviewer.export import (
    export_filename,
    render,
    to_html,
    to_json,
    to_markdown,
    write_export,
)
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric.models import Rubric
from interviewer.speech.metrics import DeliveryMetrics

from .interviews import EXPORTED


def test_file_names_say_which_question_and_when(state: InterviewState) -> None:
    assert export_filename(state, "md") == "uber-eta-2026-11-21-0930.md"
    assert export_filename(state, "json") == "uber-eta-2026-11-21-0930.json"
    assert export_filename(state, "html", tz=timezone(timedelta(hours=-5))) == "uber-eta-2026-11-21-0430.html"


@pytest.mark.parametrize(("fmt", "export"), [("md", to_markdown), ("json", to_json), ("html", to_html)])
def test_write_export_writes_the_rendered_text_under_its_name(
    fmt, export, tmp_path: Path, state: InterviewState, rubric: Rubric, card: Scorecard, delivery: DeliveryMetrics
) -> None:
    path = write_export(fmt, state, rubric, card, delivery, directory=tmp_path / "session-1", now=EXPORTED)

    assert path == tmp_path / "session-1" / f"uber-eta-2026-11-21-0930.{fmt}"
    assert path.read_text(encoding="utf-8") == export(state, rubric, card, delivery, now=EXPORTED)
    # After the next turn the same file is overwritten, not copied.
    assert write_export(fmt, state, rubric, card, directory=tmp_path / "session-1", now=EXPORTED) == path
    assert len(list((tmp_path / "session-1").iterdir())) == 1


def test_without_a_directory_each_download_gets_its_own_temp_folder(
    state: InterviewState, rubric: Rubric, card: Scorecard
) -> None:
    first = write_export("md", state, rubric, card)
    second = write_export("md", state, rubric, card)
    try:
        assert first.name == second.name == "uber-eta-2026-11-21-0930.md"
        assert first.parent != second.parent
        assert first.parent.name.startswith("interviewer-export-")
    finally:
        for path in (first, second):
            path.unlink()
            path.parent.rmdir()


def test_an_unknown_format_is_named(state: InterviewState, rubric: Rubric, card: Scorecard) -> None:
    with pytest.raises(ValueError, match="unknown export format 'pdf'; choose one of: md, json, html"):
        render("pdf", state, rubric, card)  # type: ignore[arg-type]
