"""Build the app's LLM client from settings, or None to run offline."""

from __future__ import annotations

from typing import Literal

from interviewer.llm.budget import BudgetedLLM, TokenBudget
from interviewer.llm.config import LLMSettings
from interviewer.llm.protocol import LLMClient

Purpose = Literal["interviewer", "grader"]


def connect(settings: LLMSettings, *, purpose: Purpose = "interviewer") -> LLMClient | None:
    """The client for `purpose`, or None when no server is configured (the offline mode).

    The client trims every request to the model's context window (see `BudgetedLLM`). The
    OpenAI client is imported only when needed, so offline runs never load `openai`.
    """
    if not settings.is_configured:
        return None
    from interviewer.openai_api.chat import OpenAICompatibleClient

    chosen = settings.for_grader() if purpose == "grader" else settings
    return BudgetedLLM(OpenAICompatibleClient(chosen), TokenBudget.for_settings(chosen))
