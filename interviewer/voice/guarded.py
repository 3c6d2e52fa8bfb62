"""A model voice held to deadlines, so a hung or trickling server never keeps a candidate waiting.

The model's words are read in a worker thread. The first words must arrive within
`first_words_seconds` and the whole turn within `turn_seconds`; otherwise the turn fails with an
LLMError and the caller speaks the built-in line instead. After any failure the server is
skipped (the offline voice speaks at once) until a background probe finds it answering again.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator

from interviewer.engine.state import InterviewState, Move
from interviewer.llm.errors import LLMError
from interviewer.llm.health import ServerHealth
from interviewer.rubric.models import Rubric
from interviewer.voice.protocol import Voice

FIRST_WORDS_SECONDS = 4.0
TURN_SECONDS = 20.0
_DONE = object()


class VoiceTooSlow(LLMError):
    def __init__(self, what: str, seconds: float) -> None:
        super().__init__(f"The language model's {what} took longer than {seconds:g} s; the built-in voice spoke instead.")


class ServerResting(LLMError):
    def __init__(self) -> None:
        super().__init__("The language-model server failed recently; the built-in voice speaks until it answers again.")


class GuardedVoice:
    def __init__(
        self,
        voice: Voice,
        health: ServerHealth,
        first_words_seconds: float = FIRST_WORDS_SECONDS,
        turn_seconds: float = TURN_SECONDS,
    ) -> None:
        self.voice, self.health, self.name = voice, health, voice.name
        self.first_words_seconds, self.turn_seconds = first_words_seconds, turn_seconds

    def speak(self, move: Move, state: InterviewState, rubric: Rubric) -> Iterator[str]:
        if not self.health.available():
            raise ServerResting()
        chunks: queue.Queue[object] = queue.Queue()
        worker = threading.Thread(target=self._read, args=(move, state, rubric, chunks), name="llm-voice", daemon=True)
        worker.start()
        started = time.monotonic()
        first_words = True
        while True:
            limit = self.first_words_seconds if first_words else self.turn_seconds
            left = started + limit - time.monotonic()
            try:
                item = chunks.get(timeout=max(0.0, left))
            except queue.Empty:
                # The worker is left to finish (or time out) on its own; its words are discarded.
                error = VoiceTooSlow("first words" if first_words else "turn", limit)
                self.health.failed(error)
                raise error from None
            if item is _DONE:
                self.health.succeeded()
                return
            if isinstance(item, BaseException):
                # A line that merely went off script came from a server that answers.
                if isinstance(item, LLMError) and getattr(item, "server_fault", True):
                    self.health.failed(item)
                elif isinstance(item, LLMError):
                    self.health.succeeded()
                raise item
            first_words = False
            yield item  # type: ignore[misc]

    def _read(self, move: Move, state: InterviewState, rubric: Rubric, chunks: queue.Queue[object]) -> None:
        try:
            for chunk in self.voice.speak(move, state, rubric):
                chunks.put(chunk)
        except BaseException as error:  # noqa: BLE001 - handed to the waiting turn, which decides
            chunks.put(error)
        else:
            chunks.put(_DONE)
