"""One interview in progress: the engine decides, a voice speaks, and a failing voice never loses a turn."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Protocol

from interviewer.engine.state import InterviewState, Move
from interviewer.engine.transitions import candidate_turn, end_interview, record_interviewer_turn, start_interview
from interviewer.llm.errors import LLMError
from interviewer.rubric.models import Rubric
from interviewer.voice.templates import TemplateVoice

FALLBACK_NOTICE = "(The language model isn't responding, so I'll continue with the built-in interviewer.)"


class Voice(Protocol):
    name: str

    def speak(self, move: Move, state: InterviewState, rubric: Rubric) -> Iterator[str]:
        """The interviewer's words for `move`, in chunks as they are produced."""
        ...


def utc_now() -> datetime:
    return datetime.now(UTC)


class InterviewSession:
    def __init__(
        self,
        rubric: Rubric,
        voice: Voice | None = None,
        clock: Callable[[], datetime] = utc_now,
        state: InterviewState | None = None,
    ) -> None:
        self.rubric = rubric
        self.voice = voice or TemplateVoice()
        self.clock = clock
        self.state = state

    def open(self) -> Iterator[str]:
        """Start the interview; yields the opening as it grows."""
        self.state, move = start_interview(self.rubric, self.clock())
        yield from self._speak(move)

    def reply(self, text: str) -> Iterator[str]:
        """Record the candidate's turn; yields the interviewer's answer as it grows."""
        self.state, move = candidate_turn(self._started(), self.rubric, text, self.clock())
        yield from self._speak(move)

    def end(self) -> InterviewState:
        self.state = end_interview(self._started())
        return self.state

    @property
    def finished(self) -> bool:
        return self.state is not None and self.state.phase == "scored"

    def _started(self) -> InterviewState:
        if self.state is None:
            raise RuntimeError("the interview has not started: call open() first")
        return self.state

    def _speak(self, move: Move) -> Iterator[str]:
        # Cumulative text, so a UI can redraw the message; on failure the partial text is replaced.
        state, spoken = self._started(), ""
        try:
            for chunk in self.voice.speak(move, state, self.rubric):
                spoken += chunk
                yield spoken
        except LLMError:
            fallback = "".join(TemplateVoice().speak(move, state, self.rubric))
            if not state.fallback_announced:
                state = state.model_copy(update={"fallback_announced": True})
                fallback = f"{FALLBACK_NOTICE} {fallback}"
            spoken = fallback
            yield spoken
        self.state = record_interviewer_turn(state, move, spoken.strip(), self.clock())

    def transcript(self) -> str:
        return "\n".join(f"{t.role.capitalize()}: {t.text}" for t in self._started().turns)
