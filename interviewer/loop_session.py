"""A whole interview loop in progress: its questions one after another, each an InterviewSession.

The candidate moves on when a question closes naturally or when they ask to (`next_question`),
and can end the loop at any time; the questions never opened count as skipped when graded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime

from interviewer.engine.loop_state import LoopProgress
from interviewer.engine.state import InterviewState, Move
from interviewer.grading.loop_scorecard import LoopScorecard, grade_loop
from interviewer.grading.select import Grader
from interviewer.rubric.loops import Loop
from interviewer.rubric.models import Rubric
from interviewer.session import InterviewSession, Voice, utc_now
from interviewer.voice.templates import TemplateVoice

NEXT_QUESTION = "Thanks. Let's move on to the next question."


class BetweenQuestionsVoice:
    """Speaks like the voice it wraps, except that closing a question that is not the loop's last
    hands over to the next one instead of announcing the end of the interview."""

    def __init__(self, voice: Voice, more_to_come: bool) -> None:
        self.voice, self.more_to_come, self.name = voice, more_to_come, voice.name

    def speak(self, move: Move, state: InterviewState, rubric: Rubric) -> Iterator[str]:
        if move.kind == "close" and self.more_to_come:
            yield NEXT_QUESTION
        else:
            yield from self.voice.speak(move, state, rubric)


class LoopSession:
    def __init__(
        self,
        loop: Loop,
        rubrics: Sequence[Rubric],
        voice: Voice | None = None,
        clock: Callable[[], datetime] = utc_now,
        progress: LoopProgress | None = None,
    ) -> None:
        """`rubrics` are the loop's questions in order (`RubricBank.loop_questions`); pass `progress`
        to carry on a loop held earlier."""
        self.loop, self.rubrics, self.clock = loop, list(rubrics), clock
        self.voice = voice or TemplateVoice()
        ids = [rubric.id for rubric in self.rubrics]
        self.progress = progress or LoopProgress(loop_id=loop.id, loop_version=loop.version, question_ids=ids)
        if self.progress.question_ids != ids:
            raise ValueError(f"the loop '{loop.id}' has changed since this progress was saved")
        self._session: InterviewSession | None = None

    @property
    def index(self) -> int:
        """Index of the current question in `rubrics`; -1 before the first is opened."""
        return self.progress.index

    @property
    def rubric(self) -> Rubric | None:
        return self.rubrics[self.index] if self.index >= 0 else None

    @property
    def current(self) -> InterviewSession | None:
        """The session of the current question (it may have closed: see `question_finished`)."""
        if self.index < 0:
            return None
        if self._session is None:
            self._session = self._make_session(self.index, self.progress.states[self.index])
        return self._session

    @property
    def question_finished(self) -> bool:
        return self.current is not None and self.current.finished

    @property
    def has_next(self) -> bool:
        return self.index + 1 < len(self.rubrics)

    @property
    def finished(self) -> bool:
        return self.progress.ended

    @property
    def states(self) -> list[InterviewState]:
        return list(self.progress.states)

    def open(self) -> Iterator[str]:
        """Open the loop's first question; yields its opening as it grows."""
        if self.index >= 0:
            raise RuntimeError("the loop has already started")
        yield from self.next_question()

    def reply(self, text: str) -> Iterator[str]:
        """The candidate's turn on the current question; yields the interviewer's answer as it grows."""
        if self.finished:
            raise RuntimeError("the loop is over")
        session = self._started()
        yield from session.reply(text)
        self._keep(session)

    def next_question(self) -> Iterator[str]:
        """Close the current question (if still open) and open the next; after the last one, end the loop."""
        if self.finished:
            raise RuntimeError("the loop is over")
        if self.index >= 0:
            session = self._started()
            if not session.finished:
                session.end()
                self._keep(session)
        if not self.has_next:
            self.progress = self.progress.model_copy(update={"ended": True})
            return
        session = self._make_session(self.index + 1)
        added = False
        for spoken in session.open():
            if not added:  # the state exists once open() has started: from now on this is the current question
                self._add(session)
                added = True
            yield spoken
        if not added:
            self._add(session)
        self._keep(session)

    def end(self) -> LoopProgress:
        """End the whole loop now: the current question is closed for grading, the rest are skipped."""
        if self.index >= 0 and not self._started().finished:
            session = self._started()
            session.end()
            self._keep(session)
        self.progress = self.progress.model_copy(update={"ended": True})
        return self.progress

    def grade(self, grader: Grader) -> LoopScorecard:
        return grade_loop(self.loop, self.rubrics, self.progress.states, grader)

    def _started(self) -> InterviewSession:
        session = self.current
        if session is None:
            raise RuntimeError("the loop has not started: call open() first")
        return session

    def _make_session(self, index: int, state: InterviewState | None = None) -> InterviewSession:
        voice = BetweenQuestionsVoice(self.voice, more_to_come=index + 1 < len(self.rubrics))
        return InterviewSession(self.rubrics[index], voice=voice, clock=self.clock, state=state)

    def _add(self, session: InterviewSession) -> None:
        self.progress = self.progress.model_copy(update={"states": [*self.progress.states, session.state]})
        self._session = session

    def _keep(self, session: InterviewSession) -> None:
        states = [*self.progress.states[:-1], session.state]
        self.progress = self.progress.model_copy(update={"states": states})
