"""The web app: Interview, History and Coach tabs over one AppContext."""

from __future__ import annotations

import os
import threading
from pathlib import Path

# Gradio phones home for analytics and version checks; the app must run with no network.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from interviewer.llm.config import LLMSettings  # noqa: E402
from interviewer.rubric import RubricBank  # noqa: E402
from interviewer.store import SessionStore  # noqa: E402
from interviewer.ui.coach_tab import build_coach_tab  # noqa: E402
from interviewer.ui.context import AppContext  # noqa: E402
from interviewer.ui.history_tab import build_history_tab  # noqa: E402
from interviewer.ui.interview_tab import build_interview_tab  # noqa: E402
from interviewer.ui.views import question_choices  # noqa: E402

TITLE = "ML mock interviewer"


def problems_markdown(bank: RubricBank) -> str:
    if not bank.problems:
        return ""
    count = len(bank.problems)
    return f"⚠ {count} problem{'s' if count != 1 else ''} in the rubric files; see the Coach tab. The other questions are available."


def build_app(ctx: AppContext) -> gr.Blocks:
    with gr.Blocks(title=TITLE) as app:
        gr.Markdown(f"# {TITLE}\nCase studies and ML system design, with follow-ups, a clock and a scorecard.")
        status = gr.Markdown(elem_id="rubric-status")
        session_key = gr.BrowserState(None, storage_key="interviewer-session")
        with gr.Tab("Interview", id="interview"):
            interview = build_interview_tab(ctx, session_key)
        with gr.Tab("History", id="history"):
            history = build_history_tab(ctx)
        with gr.Tab("Coach", id="coach"):
            coach = build_coach_tab(ctx, interview["picker"])

        def initial_picker():
            choices = question_choices(list(ctx.bank.rubrics.values()), None, None)
            loops = [(f"{loop.title} ({loop.role}, {ctx.bank.loop_minutes(loop.id):g} min)", loop.id) for loop in ctx.bank.loops.values()]
            return (
                gr.update(choices=choices, value=choices[0][1] if choices else None),
                gr.update(choices=loops, value=None),
                problems_markdown(ctx.bank),
            )

        app.load(initial_picker, None, [interview["picker"], interview["loop_picker"], status], api_name="initial_picker")
        for handler, inputs, outputs in (interview["resume"], history["refresh"], coach["refresh"]):
            app.load(handler, inputs, outputs)
    return app


def launch(rubrics_dir: Path, host: str = "127.0.0.1", port: int = 7860, block: bool = True,
           db_path: Path | None = None, settings: LLMSettings | None = None) -> gr.Blocks:
    ctx = AppContext(rubrics_dir=rubrics_dir, store=SessionStore(db_path), settings=settings or LLMSettings.from_env())
    # Load the grading model and embed every rubric phrase now, not when the first candidate ends.
    threading.Thread(target=ctx.warm_up, name="grader-warm-up", daemon=True).start()
    app = build_app(ctx)
    app.queue(default_concurrency_limit=8)
    app.launch(server_name=host, server_port=port, prevent_thread_lock=not block, footer_links=[],
               allowed_paths=[str(Path(ctx.store.path).parent / "exports")])
    return app
