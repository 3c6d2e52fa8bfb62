"""The Coach tab: the rubric bank's health, reload without restart, examples against the grader,
grading a pasted or uploaded transcript, and the JSON Schema for editors."""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr

from interviewer.engine.state import InterviewState
from interviewer.grading.offline import answers_in
from interviewer.ui.context import AppContext
from interviewer.ui.scorecard_view import scorecard_html
from interviewer.ui.views import question_choices

FILE_HEADERS = ["file", "status", "problems"]
EXAMPLE_HEADERS = ["example", "criterion", "coach", "grader", "agrees"]


def file_rows(ctx: AppContext) -> list[list[str]]:
    rows = []
    for path in ctx.bank.files:
        problems = ctx.bank.problems_in(path)
        status = "valid" if not problems else f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        rows.append([path.name, status, "\n".join(str(p) for p in problems)])
    return rows


def example_rows(ctx: AppContext, rubric_id: str) -> list[list[str]]:
    rubric = ctx.bank.get(rubric_id)
    rows = []
    for example in rubric.examples:
        card = ctx.grader.grade(rubric, example.answer)
        for result in card.criteria:
            expected = example.expected_levels[result.id]
            agrees = "yes" if result.level == expected else "within one" if abs(result.level - expected) == 1 else "NO"
            rows.append([example.id, result.id, str(expected), str(result.level), agrees])
    return rows


def transcript_text(pasted: str, upload: str | None) -> str:
    """The candidate's words from pasted text, a text file, or a JSON session export."""
    if not upload:
        return pasted or ""
    raw = Path(upload).read_text(encoding="utf-8", errors="replace")
    if upload.endswith(".json"):
        document = json.loads(raw)
        session = document.get("session") or document.get("state") or document
        return answers_in(InterviewState.model_validate(session))
    return raw


def build_coach_tab(ctx: AppContext, picker: gr.Dropdown) -> dict:
    with gr.Row():
        reload = gr.Button("Reload rubrics from disk", variant="primary", elem_id="coach-reload")
        schema_file = Path(ctx.rubrics_dir) / "schema.json"
        gr.DownloadButton("JSON Schema", value=str(schema_file) if schema_file.exists() else None, elem_id="download-schema")
    files = gr.Dataframe(headers=FILE_HEADERS, interactive=False, wrap=True, elem_id="coach-files", label="Rubric files")
    chosen = gr.Dropdown(label="Rubric", elem_id="coach-rubric")
    source = gr.Code(language="yaml", label="Rubric file", interactive=False, elem_id="coach-source")
    run_examples = gr.Button("Run this rubric's examples through the grader", elem_id="coach-run-examples")
    examples = gr.Dataframe(headers=EXAMPLE_HEADERS, interactive=False, elem_id="coach-examples", label="Coach vs grader")
    with gr.Accordion("Grade a transcript against this rubric", open=False):
        pasted = gr.Textbox(lines=8, label="Paste the candidate's answers", elem_id="coach-transcript")
        upload = gr.File(file_types=[".txt", ".md", ".json"], type="filepath", label="…or upload a transcript (text, or a JSON export)")
        grade = gr.Button("Grade", elem_id="coach-grade")
        graded = gr.HTML(elem_id="coach-scorecard")

    def refresh():
        ids = sorted(ctx.bank.rubrics)
        return file_rows(ctx), gr.update(choices=ids, value=ids[0] if ids else None)

    def reload_bank():
        ctx.reload_rubrics()
        choices = question_choices(list(ctx.bank.rubrics.values()), None, None)
        gr.Info(f"Reloaded: {len(ctx.bank.rubrics)} questions, {len(ctx.bank.problems)} problems.")
        return (*refresh(), gr.update(choices=choices))

    def show_source(rubric_id: str | None) -> str:
        path = ctx.bank.path_of(rubric_id) if rubric_id in ctx.bank.rubrics else None
        return path.read_text(encoding="utf-8") if path else ""

    def grade_transcript(rubric_id: str | None, text: str, file: str | None) -> str:
        if rubric_id not in ctx.bank.rubrics:
            return "Pick a rubric."
        answer = transcript_text(text, file).strip()
        if not answer:
            return "Paste or upload a transcript first."
        rubric = ctx.bank.get(rubric_id)
        return scorecard_html(ctx.grader.grade(rubric, answer), rubric)

    reload.click(reload_bank, None, [files, chosen, picker])
    chosen.change(show_source, chosen, source)
    run_examples.click(lambda rubric_id: example_rows(ctx, rubric_id), chosen, examples, api_name="run_examples")
    grade.click(grade_transcript, [chosen, pasted, upload], graded)
    return {"refresh": (refresh, None, [files, chosen])}

