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
        return choose_grader(None, self.settings)

    def warm_up(self) -> None:
        """Embed every rubric phrase ahead of the first score. Kept out of the `grader` property:
        a cached_property holds a lock while it computes (in 3.11 one lock for every AppContext),
        so warming up inside it made every score wait for the whole bank (20 s to over a minute on 2 cores)."""
        offline = getattr(self.grader, "fallback", self.grader)
        offline.warm_up(self.bank.rubrics.values())

    @cached_property
    def voice(self) -> Voice:
        return choose_voice(self.settings)

    @cached_property
    def speech(self):  # (Transcriber, Synthesizer); imported late: speech models are heavy
        from interviewer.speech import speech_backends

        return speech_backends(self.settings)
