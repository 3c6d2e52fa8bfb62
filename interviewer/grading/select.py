"""Which graders to use: the offline one always, and a language model to refine it when a server is configured."""

from __future__ import annotations

from dataclasses import dataclass

from interviewer.grading.embeddings import default_embedder
from interviewer.grading.llm_grader import LLMGrader
from interviewer.grading.offline import OfflineGrader
from interviewer.grading.protocol import Grader
from interviewer.llm.config import LLMSettings
from interviewer.openai_api.connect import connect
from interviewer.llm.health import ServerHealth


@dataclass
class Graders:
    """The offline grader gives the scorecard at once; the refiner, when there is one, gives a finer one later."""

    offline: OfflineGrader
    refiner: LLMGrader | None = None

    @property
    def best(self) -> Grader:
        return self.refiner or self.offline


def choose_graders(backend: str | None, settings: LLMSettings, health: ServerHealth | None = None) -> Graders:
    """`backend` None means: refine with the LLM grader if a server is configured."""
    offline = OfflineGrader(default_embedder())
    if backend == "offline" or (backend is None and not settings.is_configured):
        return Graders(offline)
    client = connect(settings, purpose="grader")
    if client is None:
        raise SystemExit("--backend openai needs a server: set OPENAI_API_KEY or OPENAI_BASE_URL (see the README)")
    return Graders(offline, LLMGrader(client, offline, health))
