"""One question in progress: the engine decides, a voice speaks, and a failing voice never loses a turn.

Deciding and speaking are separate steps, so the practice service can store the candidate's
turn (with the move decided, `state.pending`) before any words are generated, and a reply lost
to a crash is spoken on resume.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from interviewer.engine.state import InterviewState, Move
from interviewer.engine.transitions import (
    ask_for_hint,
    candidate_turn,
    end_interview,
    record_interviewer_turn,
    start_interview,
)
from interviewer.listening.offline_reader import read_turn
from interviewer.listening.protocol import Listener, OfflineListener
from interviewer.llm.errors import LLMError
from interviewer.rubric.models import Rubric
from interviewer.voice.llm_voice import phrasing_for
from interviewer.voice.protocol import Voice
from interviewer.voice.templates import TemplateVoice

FALLBACK_NOTICE = "(The language model isn't responding, so I'll continue with the built-in interviewer.)"


def utc_now() -> datetime:
    return datetime.now(UTC)


class InterviewSession:
    def __init__(
        self,
        rubric: Rubric,
        voice: Voice | None = None,
        clock: Callable[[], datetime] = utc_now,
        state: InterviewState | None = None,
        listener: Listener | None = None,
    ) -> None:
        self.rubric = rubric
        self.voice = voice or TemplateVoice()
        self.clock = clock
        self.state = state
        self.listener = listener or OfflineListener()

    # Deciding: pure engine transitions; the move waits in state.pending until it is spoken.

    def begin(self) -> InterviewState:
        self.state, _ = start_interview(self.rubric, self.clock())
        return self.state

    def decide(self, text: str) -> InterviewState:
        """Read the candidate's turn, record it and decide the reply, without saying it yet."""
        state, now = self._started(), self.clock()
        asked = state.last_question()
        likely = self._likely_move(state, text, now)
        say = phrasing_for(likely, self.rubric) if likely else None
        heard = self.listener.read(text, self.rubric, asked.follow_up if asked else None, say)
        self.state, move = candidate_turn(state, self.rubric, text, heard.reading, now)
        if heard.line and move == likely:  # the model phrased the very move the engine made
            self.state.pending = move.model_copy(update={"phrased": heard.line})
        return self.state

    def _likely_move(self, state: InterviewState, text: str, now: datetime) -> Move | None:
        """The move the offline reading leads to: what a model listener phrases while it reads."""
        if isinstance(self.listener, OfflineListener):
            return None
        return candidate_turn(state, self.rubric, text, read_turn(text, self.rubric), now)[1]

    def decide_hint(self) -> InterviewState:
        self.state, _ = ask_for_hint(self._started(), self.rubric, self.clock())
        return self.state

    def end(self) -> InterviewState:
        self.state = end_interview(self._started())
        return self.state

    # Speaking

    def speak_pending(self) -> Iterator[str]:
        """Say the pending move; yields the words so far (cumulative, so a page can redraw them)."""
        state = self._started()
        if state.pending is None:
            return
        move, spoken = state.pending, ""
        try:
            for chunk in self.voice.speak(move, state, self.rubric):
                spoken += chunk
                yield spoken
        except LLMError as error:
            # The partial model text is replaced by the built-in line; when the server failed (not
            # when its line merely went off script), the candidate is told, once.
            spoken = "".join(TemplateVoice().speak(move, state, self.rubric))
            if getattr(error, "server_fault", True) and not state.fallback_announced:
                state = state.model_copy(update={"fallback_announced": True})
                spoken = f"{FALLBACK_NOTICE} {spoken}"
            yield spoken
        self.state = record_interviewer_turn(state, move, spoken.strip(), self.clock())

    # The terminal's and the tests' shorthand: decide, then speak.

    def open(self) -> Iterator[str]:
        self.begin()
        yield from self.speak_pending()

    def reply(self, text: str) -> Iterator[str]:
        self.decide(text)
        yield from self.speak_pending()

    @property
    def finished(self) -> bool:
        return self.state is not None and self.state.phase == "scored"

    def _started(self) -> InterviewState:
        if self.state is None:
            raise RuntimeError("the interview has not started: call begin() or open() first")
        return self.state

    def transcript(self) -> str:
        return "\n".join(f"{t.role.capitalize()}: {t.text}" for t in self._started().turns)
