"""The Class tab, for coaches: every candidate's sessions, and the criteria the class is weakest on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from interviewer.practice.class_view import CandidateSession, CriterionAverage
from interviewer.practice.records import PracticeError
from interviewer.practice.setup import PracticeApp
from interviewer.ui.access import Access
from interviewer.ui.history_tab import history_row

SESSION_HEADERS = ["candidate", "date", "question", "score", "band", "status"]
CRITERION_HEADERS = ["criterion", "average level (0-3)", "scored sessions"]


@dataclass
class ClassTab:
    refresh: tuple[Any, Any, Any]


def session_rows(sessions: list[CandidateSession]) -> list[list[str]]:
    return [[s.candidate, *history_row(s.session)] for s in sessions]


def criterion_rows(averages: list[CriterionAverage]) -> list[list[str]]:
    return [[a.criterion, f"{a.average:.2f}", str(a.sessions)] for a in averages]


def build_class_tab(app: PracticeApp, access: Access) -> ClassTab:
    refresh = gr.Button("Refresh", elem_id="class-refresh")
    weakest = gr.Dataframe(headers=CRITERION_HEADERS, interactive=False, elem_id="class-criteria",
                           label="Criteria the class is weakest on (average over its scored sessions)")
    sessions = gr.Dataframe(headers=SESSION_HEADERS, interactive=False, elem_id="class-sessions",
                            label="Each candidate's sessions")

    def rows() -> tuple[list[list[str]], list[list[str]]]:
        try:
            found = app.class_view.sessions()
            return criterion_rows(app.class_view.weakest(found)), session_rows(found)
        except PracticeError as error:
            gr.Warning(str(error))
            return [], []

    def show(request: gr.Request) -> tuple[list[list[str]], list[list[str]]]:
        access.require_coach(request)
        return rows()

    def show_on_load(request: gr.Request) -> tuple[list[list[str]], list[list[str]]]:
        access.require_coach(request, quiet=True)  # run for everyone at page load
        return rows()

    refresh.click(show, None, [weakest, sessions], api_name="class_view")
    return ClassTab(refresh=(show_on_load, None, [weakest, sessions]))
