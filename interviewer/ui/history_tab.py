"""The History tab: this browser's past sessions with their scores, any one reopened, progress per criterion.

Rows show no ids: the ids of the rows on screen stay in server-side state, and a click sends
only the row's position, which can name nothing but this browser's own sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr
import pandas as pd

from interviewer.export.common import band_label
from interviewer.practice.history import ProgressPoint, SessionSummary
from interviewer.practice.records import PracticeError
from interviewer.practice.setup import PracticeApp
from interviewer.ui.access import Access
from interviewer.ui.render import turn_messages
from interviewer.ui.scorecard_view import scorecard_html

HEADERS = ["date", "question", "score", "band", "status"]


@dataclass
class HistoryTab:
    refresh: tuple[Any, Any, Any]  # (handler, inputs, outputs) for the page's load event


def history_row(summary: SessionSummary) -> list[str]:
    score = "" if summary.score is None else f"{summary.score:.0f}"
    status = "scored" if summary.phase == "scored" else "in progress"
    return [f"{summary.started_at:%Y-%m-%d %H:%M}", summary.title or summary.question_id, score,
            band_label(summary.band) if summary.band else "", status]


def progress_frame(points: list[ProgressPoint]) -> pd.DataFrame:
    """One row per (attempt, criterion); attempts are whole numbers, criteria named as on the scorecard."""
    rows = [{"attempt": str(p.attempt), "criterion": p.criterion, "level": p.level} for p in points]
    return pd.DataFrame(rows, columns=["attempt", "criterion", "level"])


def build_history_tab(app: PracticeApp, owner: gr.State, access: Access) -> HistoryTab:
    ids = gr.State([])
    refresh = gr.Button("Refresh", elem_id="history-refresh")
    table = gr.Dataframe(headers=HEADERS, interactive=False, elem_id="history-table", label="Your past sessions (click one)")
    progress = gr.LinePlot(x="attempt", y="level", color="criterion", y_lim=[0, 3], title="Progress per criterion",
                           x_title="attempt", elem_id="progress-plot")
    card = gr.HTML(elem_id="history-scorecard")
    transcript = gr.Chatbot(label="Transcript", elem_id="history-chat", height=320, render_markdown=False)

    def rows(owner_id: str | None) -> tuple[list[list[str]], list[str]]:
        if not owner_id:
            return [], []
        try:
            sessions = app.history.sessions(owner_id)
        except PracticeError as error:
            gr.Warning(str(error))
            return [], []
        return [history_row(s) for s in sessions], [s.id for s in sessions]

    def open_session(evt: gr.SelectData, request: gr.Request, owner_id: str | None, shown: list[str]):
        access.require_page_owner(request, owner_id)
        row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        if not owner_id or not isinstance(row, int) or not 0 <= row < len(shown):
            return "", [], progress_frame([])
        try:
            past = app.history.open(owner_id, shown[row])
        except PracticeError as error:
            gr.Warning(str(error))
            return "", [], progress_frame([])
        stored = past.stored
        shown_card = scorecard_html(stored.scorecard, past.rubric, stored.delivery) if stored.scorecard else "Not scored yet."
        return shown_card, turn_messages(stored.state), progress_frame(past.progress)

    rows = access.own_page_only(rows, [owner], [owner])
    refresh.click(rows, owner, [table, ids], api_name="history_refresh")
    table.select(open_session, [owner, ids], [card, transcript, progress], api_name="history_open")
    return HistoryTab(refresh=(rows, owner, [table, ids]))
