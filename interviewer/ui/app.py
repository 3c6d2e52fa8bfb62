"""The web app. For now it lists the question bank and the rubric files' problems."""

from __future__ import annotations

import os
from pathlib import Path

# Gradio phones home for analytics and version checks; the app must run with no network.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from interviewer.rubric import RubricBank  # noqa: E402

BANK_HEADERS = ["id", "title", "category", "difficulty", "minutes"]


def bank_rows(bank: RubricBank) -> list[list[str]]:
    return [
        [r.id, r.title, r.category, r.difficulty, f"{r.duration_minutes:g}"]
        for r in sorted(bank.rubrics.values(), key=lambda r: (r.category, r.id))
    ]


def problems_markdown(bank: RubricBank) -> str:
    if not bank.problems:
        return f"All {len(bank.files)} rubric files are valid."
    count = len(bank.problems)
    lines = "\n".join(f"- `{problem}`" for problem in bank.problems)
    return f"**{count} problem{'s' if count != 1 else ''} in the rubric files** (the other questions are available):\n\n{lines}"


def build_app(rubrics_dir: Path) -> gr.Blocks:
    with gr.Blocks(title="ML mock interviewer") as app:
        gr.Markdown("# ML mock interviewer\nCase studies and ML system design, scored against coach-written rubrics.")
        table = gr.Dataframe(headers=BANK_HEADERS, interactive=False, label="Question bank", elem_id="question-bank")
        status = gr.Markdown(elem_id="rubric-status")
        reload = gr.Button("Reload rubrics from disk", elem_id="coach-reload")

        def refresh() -> tuple[list[list[str]], str]:
            # A fresh bank per call: no module-level state, and edits on disk show up at once.
            bank = RubricBank(rubrics_dir)
            return bank_rows(bank), problems_markdown(bank)

        app.load(refresh, outputs=[table, status])
        reload.click(refresh, outputs=[table, status])
    return app


def launch(rubrics_dir: Path, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> gr.Blocks:
    app = build_app(rubrics_dir)
    app.launch(server_name=host, server_port=port, prevent_thread_lock=not block, footer_links=[])
    return app
