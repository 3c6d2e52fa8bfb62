"""The History tab: past sessions with their scores, any one reopened, progress per criterion."""

from __future__ import annotations

import pandas as pd
import gradio as gr

from interviewer.store import criterion_progress
from interviewer.ui.context import AppContext
from interviewer.ui.scorecard_view import scorecard_html
from interviewer.ui.views import chat_messages

HEADERS = ["session", "question", "started", "phase", "score", "band"]


def history_rows(ctx: AppContext) -> list[list[str]]:
    return [
        [s.id, s.question_id, f"{s.started_at:%Y-%m-%d %H:%M}", s.phase, "" if s.score is None else f"{s.score:g}", s.band or ""]
        for s in ctx.store.list_sessions(limit=200)
    ]


def progress_frame(ctx: AppContext, question_id: str) -> pd.DataFrame:
    """One row per (attempt, criterion): the level reached, for a line per criterion."""
    rows = [
        {"attempt": number, "criterion": criterion_id, "level": level}
        for criterion_id, points in criterion_progress(ctx.store.attempts(question_id)).items()
        for number, (_, level) in enumerate(points, start=1)
    ]
    return pd.DataFrame(rows, columns=["attempt", "criterion", "level"])


def build_history_tab(ctx: AppContext) -> dict:
    refresh = gr.Button("Refresh", elem_id="history-refresh")
    table = gr.Dataframe(headers=HEADERS, interactive=False, elem_id="history-table", label="Past sessions (click one)")
    progress = gr.LinePlot(x="attempt", y="level", color="criterion", y_lim=[0, 3], title="Progress per criterion", elem_id="progress-plot")
    card = gr.HTML(elem_id="history-scorecard")
    transcript = gr.Chatbot(label="Transcript", elem_id="history-chat", height=320)

    def open_session(evt: gr.SelectData, rows):
        session_id = rows.iloc[evt.index[0], 0] if hasattr(rows, "iloc") else rows[evt.index[0]][0]
        stored = ctx.store.load(session_id)
        rubric = ctx.bank.rubrics.get(stored.state.question_id)
        shown = scorecard_html(stored.scorecard, rubric, stored.delivery) if stored.scorecard and rubric else "Not scored yet."
        return shown, chat_messages(stored.state), progress_frame(ctx, stored.state.question_id)

    refresh.click(lambda: history_rows(ctx), None, table, api_name="history_refresh")
    table.select(open_session, [table], [card, transcript, progress])
    return {"refresh": (lambda: history_rows(ctx), None, table)}
