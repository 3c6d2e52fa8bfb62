"""What the app's handlers share: the question bank, the session store, and lazily built models.

One context per app instance, built at launch and captured by the tab builders; nothing here
lives at module level, and per-browser state stays in gr.State.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from interviewer.grading.select import Grader, choose_grader
from interviewer.llm.config import LLMSettings
from interviewer.rubric import RubricBank
from interviewer.session import Voice
from interviewer.store import SessionStore
from interviewer.voice.select import choose_voice


@dataclass
class AppContext:
    rubrics_dir: Path
    store: SessionStore
    settings: LLMSettings
    bank: RubricBank = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.bank = RubricBank(self.rubrics_dir)

    def reload_rubrics(self) -> None:
        with self._lock:
            self.bank = RubricBank(self.rubrics_dir)

    @cached_property
    def grader(self) -> Grader:
        grader = choose_grader(None, self.settings)
        offline = getattr(grader, "fallback", grader)
        offline.warm_up(self.bank.rubrics.values())
        return grader

    @cached_property
    def voice(self) -> Voice:
        return choose_voice(self.settings)

    @cached_property
    def speech(self):  # (Transcriber, Synthesizer); imported late: speech models are heavy
        from interviewer.speech import speech_backends

        return speech_backends(self.settings)
