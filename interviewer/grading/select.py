"""Which grader to use: the offline one, or the LLM grader when a server is configured."""

from __future__ import annotations

from typing import Protocol

from interviewer.engine.state import InterviewState
from interviewer.grading.embeddings import default_embedder
from interviewer.grading.llm_grader import LLMGrader
from interviewer.grading.offline import OfflineGrader
from interviewer.grading.scorecard import Scorecard
from interviewer.llm.config import LLMSettings
from interviewer.llm.connect import connect
from interviewer.rubric.models import Rubric


class Grader(Protocol):
    @property
    def name(self) -> str: ...

    def grade(self, rubric: Rubric, answer: str) -> Scorecard: ...

    def grade_session(self, state: InterviewState, rubric: Rubric) -> Scorecard: ...


def choose_grader(backend: str | None, settings: LLMSettings) -> Grader:
    """`backend` None means: the LLM grader if a server is configured, else the offline one."""
    offline = OfflineGrader(default_embedder())
    if backend == "offline" or (backend is None and not settings.is_configured):
        return offline
    client = connect(settings, purpose="grader")
    if client is None:
        raise SystemExit("--backend openai needs a server: set OPENAI_API_KEY or OPENAI_BASE_URL (see the README)")
    return LLMGrader(client, offline)
