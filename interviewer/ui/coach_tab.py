"""The Coach tab: the rubric bank's health, reload without restart, examples against the grader,
grading a pasted or uploaded transcript, and the JSON Schema for editors.

An upload is read only if it came through Gradio's upload route: every endpoint is public, and
a caller can name any server file as the "upload" of this event.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from interviewer.practice.coach import Upload, examples_summary
from interviewer.practice.limits import MAX_UPLOAD_BYTES
from interviewer.practice.records import PracticeError
from interviewer.practice.setup import PracticeApp
from interviewer.ui.access import Access
from interviewer.ui.render import plain, question_choices
from interviewer.ui.scorecard_view import scorecard_html

FILE_HEADERS = ["file", "status", "problems"]
EXAMPLE_HEADERS = ["example", "criterion", "coach", "grader", "agrees"]


@dataclass
class CoachTab:
    refresh: tuple[Any, Any, Any]


def received_upload(blocks: gr.Blocks, path: str | None) -> Upload | None:
    """The bytes of a file this app received through its upload route; anything else is refused."""
    if not path:
        return None
    if str(path) not in blocks.upload_file_set:
        raise PracticeError("Upload the transcript with the upload button; that file did not come through it.")
    file = Path(path)
    size = file.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise PracticeError(f"'{file.name}' is {size / 1024:,.0f} KB; transcripts up to {MAX_UPLOAD_BYTES // 1024} KB are accepted.")
    return Upload(file.name, file.read_bytes())


def file_rows(app: PracticeApp) -> list[list[str]]:
    rows = []
    for status in app.coach.files():
        count = len(status.problems)
        rows.append([status.name, "valid" if not count else f"{count} problem{'s' if count > 1 else ''}", "\n".join(status.problems)])
    return rows


def build_coach_tab(app: PracticeApp, blocks: gr.Blocks, picker: gr.Dropdown, access: Access) -> CoachTab:
    with gr.Row():
        reload = gr.Button("Reload rubrics from disk", variant="primary", elem_id="coach-reload")
        schema_file = Path(app.bank.directory) / "schema.json"
        gr.DownloadButton("JSON Schema", value=str(schema_file) if schema_file.exists() else None, elem_id="download-schema")
    files = gr.Dataframe(headers=FILE_HEADERS, interactive=False, wrap=True, elem_id="coach-files", label="Rubric files")
    chosen = gr.Dropdown(label="Rubric", elem_id="coach-rubric")
    source = gr.Code(language="yaml", label="Rubric file", interactive=False, elem_id="coach-source")
    run_examples = gr.Button("Run this rubric's examples through the grader", elem_id="coach-run-examples")
    examples = gr.Dataframe(headers=EXAMPLE_HEADERS, interactive=False, elem_id="coach-examples", label="Coach vs grader")
    with gr.Accordion("Grade a transcript against this rubric", open=False):
        pasted = gr.Textbox(lines=8, label="Paste the candidate's answers", elem_id="coach-transcript")
        upload = gr.File(file_types=[".txt", ".md", ".json"], type="filepath",
                         label=f"…or upload a transcript (text, or a JSON export; up to {MAX_UPLOAD_BYTES // 1024} KB)")
        grade = gr.Button("Grade", elem_id="coach-grade")
        graded = gr.HTML(elem_id="coach-scorecard")

    def refresh(request: gr.Request):
        access.require_coach(request, quiet=True)  # run for everyone at page load
        ids = sorted(app.bank.rubrics)
        return file_rows(app), gr.update(choices=ids, value=ids[0] if ids else None)

    def reload_bank(request: gr.Request):
        access.require_coach(request)
        app.coach.reload()
        gr.Info(f"Reloaded: {len(app.bank.rubrics)} questions, {len(app.bank.problems)} problems.")
        return (*refresh(request), gr.update(choices=question_choices(list(app.bank.rubrics.values()), None, None)))

    def show_source(rubric_id: str | None, request: gr.Request) -> str:
        access.require_coach(request, quiet=True)  # follows the rubric list filled at page load
        return app.coach.source(rubric_id or "")

    def check_examples(rubric_id: str | None, request: gr.Request) -> list[list[str]]:
        access.require_coach(request)
        try:
            checks = app.coach.check_examples(rubric_id or "")
        except PracticeError as error:
            gr.Warning(str(error))
            return []
        rows = [[c.example, c.criterion, str(c.coach), str(c.grader), c.agreement] for c in checks]
        return [*rows, ["all examples", "", "", "", examples_summary(checks)]] if checks else rows

    def grade_transcript(rubric_id: str | None, text: str, file: str | None, request: gr.Request) -> str:
        access.require_coach(request)
        try:
            result = app.coach.grade(rubric_id or "", text, received_upload(blocks, file))
        except PracticeError as error:
            return f'<p class="warning">{plain(str(error))}</p>'
        notice = f'<p class="note">{plain(result.notice)}</p>' if result.notice else ""
        return notice + scorecard_html(result.scorecard, result.rubric)

    reload.click(reload_bank, None, [files, chosen, picker], api_name="reload_bank")
    chosen.change(show_source, chosen, source, api_name="show_source")
    run_examples.click(check_examples, chosen, examples, api_name="run_examples")
    grade.click(grade_transcript, [chosen, pasted, upload], graded, api_name="grade_transcript")
    return CoachTab(refresh=(refresh, None, [files, chosen]))
