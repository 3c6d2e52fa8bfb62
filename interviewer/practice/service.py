"""The practice service: one flow for every front end (the browser, the voice path, the terminal).

A practice is one question, or a loop of several. Every call takes the owner's practice and
returns its new form step by step (`Step`), so a front end only shows what it is given. The
rules the front ends rely on:

- the candidate's turn is stored (with the reply decided but not yet spoken) before any words
  are generated, so a crash mid-reply loses nothing and the reply is given on resume;
- every store call carries the owner, and the store refuses another owner's sessions;
- a session keeps the rubric snapshot it started with, whatever a coach reloads meanwhile;
- a closed question is graded offline at once, then refined by the model grader when there is one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from datetime import datetime
from typing import TypeVar

import numpy as np

from interviewer.engine.state import InterviewState
from interviewer.grading.offline import OfflineGrader, answers_in
from interviewer.grading.scorecard import Scorecard
from interviewer.grading.select import Graders
from interviewer.listening.protocol import Listener, OfflineListener
from interviewer.practice.interview import InterviewSession, utc_now
from interviewer.practice.limits import MAX_ANSWER_CHARS, MAX_GRADED_CHARS, Cut, cut
from interviewer.practice.loop import BetweenQuestionsVoice, loop_scorecard
from interviewer.practice.records import LOOP_KEY, Practice, PracticeError, Step
from interviewer.practice.snapshots import Snapshots
from interviewer.practice.vocabulary import question_vocabulary
from interviewer.rubric.bank import RubricBank
from interviewer.rubric.models import Rubric
from interviewer.speech.jargon import correct as correct_jargon
from interviewer.speech.live import LiveTranscript
from interviewer.speech.metrics import DeliveryMetrics, combine_delivery, measure_delivery
from interviewer.speech.protocol import Synthesizer, Transcriber, expecting
from interviewer.speech.vad import RATE as SPEECH_RATE
from interviewer.store.protocol import SessionStore
from interviewer.store.errors import SessionNotFound, StoreError
from interviewer.store.records import LoopQuestion, LoopRun
from interviewer.voice.protocol import Voice
from interviewer.voice.templates import TemplateVoice

log = logging.getLogger(__name__)

T = TypeVar("T")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")  # not after "e.g." in mid-sentence
SpeechBackends = tuple[Transcriber, Synthesizer]
NOT_YOURS = "That interview is not yours or no longer exists; start a new one."


class PracticeService:
    def __init__(
        self,
        bank: RubricBank,
        store: SessionStore,
        voice: Voice | None = None,
        graders: Graders | None = None,
        *,
        listener: Listener | None = None,
        speech: Callable[[], SpeechBackends] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.bank, self.store = bank, store
        self.voice = voice or TemplateVoice()
        self.listener = listener or OfflineListener()
        self.graders = graders or Graders(OfflineGrader())
        self.clock = clock
        self.snapshots = Snapshots(store, bank)
        self._speech_factory = speech
        self._speech: SpeechBackends | None = None

    # Starting

    def start(self, owner: str, question_id: str) -> Iterator[Step]:
        """Open a new interview on one question; yields the opening as it is spoken."""
        rubric = self._question(question_id)
        ref = self._keep(rubric)
        session = InterviewSession(rubric, self.voice, self.clock, listener=self.listener)
        state = session.begin()
        session_id = self._store(lambda: self.store.create(owner, state, ref))
        yield from self._reply(Practice(owner=owner, session_id=session_id, rubric_ref=ref, state=state), session)

    def start_loop(self, owner: str, loop_id: str) -> Iterator[Step]:
        """Open a loop at its first question; its questions' rubrics are kept as they are now."""
        try:
            loop, rubrics = self.bank.loop(loop_id), self.bank.loop_questions(loop_id)
        except KeyError:
            raise PracticeError(f"There is no interview loop '{loop_id}': pick one from the list.") from None
        questions = [
            LoopQuestion(question_id=r.id, title=r.title, minutes=r.duration_minutes, rubric_ref=self._keep(r))
            for r in rubrics
        ]
        run = LoopRun(loop_id=loop.id, loop_version=loop.version, title=loop.title, role=loop.role, questions=questions)
        run_id = self._store(lambda: self.store.create_loop(owner, run))
        yield from self._open_next(owner, run_id, run, earlier=[])

    # Turns

    def answer(self, practice: Practice, text: str, delivery: DeliveryMetrics | None = None) -> Iterator[Step]:
        """A typed or spoken answer. The first step shows the candidate's turn, stored; then the reply."""
        text = text.strip()
        if not practice.answerable or not text:
            return
        kept = cut(text, MAX_ANSWER_CHARS, "Your answer")
        session = self._session(practice)
        session.decide(kept.text)
        so_far = _with_answer(practice.delivery, delivery)
        practice = self._save(practice.model_copy(update={"state": session.state, "delivery": so_far}))
        yield from self._stored_then_reply(practice, session, kept.notice)

    def listen(self, practice: Practice) -> LiveTranscript:
        """A transcript to feed while the candidate speaks; `heard` takes it when they stop."""
        vocabulary = question_vocabulary(self.rubric(practice))
        transcriber = expecting(self._speech_backends()[0], vocabulary.hints())
        return LiveTranscript(transcriber, partial(correct_jargon, vocabulary=vocabulary))

    def hear(self, practice: Practice, samples: np.ndarray, rate: int) -> Iterator[Step]:
        """A whole recorded answer, heard as if it had been transcribed while spoken."""
        if not practice.answerable:
            return
        live = self.listen(practice)
        live.feed(samples, rate)
        yield from self.heard(practice, live)

    def heard(self, practice: Practice, live: LiveTranscript) -> Iterator[Step]:
        """A spoken answer: what was heard comes first, then the turn as for a typed answer."""
        if not practice.answerable:
            return
        transcript = live.finish()
        yield Step(practice, heard=transcript.text)
        if transcript.text.strip():
            yield from self.answer(practice, transcript.text, measure_delivery(transcript, live.audio, SPEECH_RATE))

    def hint(self, practice: Practice) -> Iterator[Step]:
        if not practice.answerable:
            return
        session = self._session(practice)
        session.decide_hint()
        yield from self._stored_then_reply(self._save(practice.model_copy(update={"state": session.state})), session)

    def next_question(self, practice: Practice) -> Iterator[Step]:
        """In a loop: close the current question (graded) and open the next; after the last, end the loop."""
        if practice.loop is None or practice.over:
            return
        if practice.state.phase != "scored":
            practice = self._close(practice)
            yield Step(practice)
        yield from self._after_question(practice)

    def end(self, practice: Practice) -> Iterator[Step]:
        """End now and score: the offline scorecard at once, then the model grader's when there is one."""
        if practice.loop is not None:
            yield from self._end_loop(practice)
            return
        if practice.scorecard is not None and practice.over:
            yield Step(practice)
            return
        if practice.state.phase != "scored":
            practice = self._save(practice.model_copy(update={"state": self._session(practice).end()}))
        yield from self._graded(practice)

    def resume(self, owner: str, key: str) -> Iterator[Step]:
        """Reopen a practice by the key its browser kept; a reply lost to a crash is given now."""
        practice = self._load_loop(owner, key.removeprefix(LOOP_KEY)) if key.startswith(LOOP_KEY) else self._load(owner, key)
        if practice.state.pending is not None and practice.state.phase != "scored":
            yield Step(practice)
            yield from self._reply(practice, self._session(practice))
        elif practice.loop is not None and practice.state.phase == "scored" and not practice.over:
            # Stopped between a loop's questions: the closed one is graded, the next one opens.
            if practice.scorecard is None:
                practice = self._save(practice.model_copy(update={"scorecard": self._offline_card(practice)}))
            yield Step(practice)
            yield from self._after_question(practice)
        elif practice.state.phase == "scored" and practice.scorecard is None and practice.loop is None:
            yield from self._graded(practice)
        else:
            yield Step(practice)

    def rubric(self, practice: Practice) -> Rubric:
        """The rubric the practice's current question is held against (its snapshot)."""
        return self.snapshots.rubric(practice)

    # Speech out

    def speak(self, text: str) -> Iterator[tuple[int, np.ndarray]]:
        """The interviewer's line as audio, a sentence at a time, so playing starts after the first."""
        synthesizer = self._speech_backends()[1]
        for sentence in _SENTENCE_END.split(text):
            if sentence.strip():
                yield synthesizer.synthesize(sentence)

    # The reply and what follows it

    @property
    def streams(self) -> bool:
        """Whether replies take time and come in parts (a model's voice), rather than whole and at once."""
        return not isinstance(self.voice, TemplateVoice)

    def _stored_then_reply(self, practice: Practice, session: InterviewSession, notice: str | None = None) -> Iterator[Step]:
        """The stored turn is shown while the reply is produced; a built-in reply is instant, so then
        the reply alone (one update of the page instead of two)."""
        if self.streams:
            yield Step(practice, notice=notice)
            notice = None
        for step in self._reply(practice, session):
            yield replace(step, notice=notice) if notice else step
            notice = None

    def _reply(self, practice: Practice, session: InterviewSession) -> Iterator[Step]:
        # Words in progress are shown one chunk late, so a reply that comes whole (the built-in
        # voice) costs the page one update, not two.
        shown = None
        for words in session.speak_pending():
            if shown is not None:
                yield Step(practice, speaking=shown)
            shown = words
        practice = self._save(practice.model_copy(update={"state": session.state}))
        if practice.state.phase != "scored":
            yield Step(practice)
        elif practice.loop is None:
            yield from self._graded(practice)
        else:
            practice = self._save(practice.model_copy(update={"scorecard": self._offline_card(practice)}))
            yield Step(practice)
            yield from self._after_question(practice)

    def _graded(self, practice: Practice) -> Iterator[Step]:
        practice = self._save(practice.model_copy(update={"scorecard": self._offline_card(practice)}))
        yield Step(practice)
        refiner = self.graders.refiner
        if refiner is not None:
            rubric = self.snapshots.rubric(practice)
            card = refiner.refine(rubric, graded_answers(practice.state).text, practice.scorecard)
            yield Step(self._save(practice.model_copy(update={"scorecard": card})))

    def _offline_card(self, practice: Practice) -> Scorecard:
        answers = graded_answers(practice.state)
        card = self.graders.offline.grade(self.snapshots.rubric(practice), answers.text)
        return card.model_copy(update={"notes": [*card.notes, answers.notice]}) if answers.notice else card

    def _close(self, practice: Practice) -> Practice:
        """Close the current question of a loop and grade it offline."""
        state = self._session(practice).end()
        practice = practice.model_copy(update={"state": state})
        return self._save(practice.model_copy(update={"scorecard": self._offline_card(practice)}))

    # Loops

    def _after_question(self, practice: Practice) -> Iterator[Step]:
        run = practice.loop
        assert run is not None and practice.loop_run_id is not None
        if run.index + 1 < len(run.questions):
            yield from self._open_next(practice.owner, practice.loop_run_id, run, [*practice.earlier, practice.state])
        else:
            yield from self._end_loop(practice)

    def _open_next(self, owner: str, run_id: str, run: LoopRun, earlier: list[InterviewState]) -> Iterator[Step]:
        question = run.questions[run.index + 1]
        rubric = self.snapshots.by_ref(question.rubric_ref, question.question_id)
        session = InterviewSession(rubric, self._loop_voice(run, run.index + 1), self.clock, listener=self.listener)
        state = session.begin()
        session_id = self._store(lambda: self.store.create(owner, state, question.rubric_ref, loop_run=run_id))
        run = run.model_copy(update={"session_ids": [*run.session_ids, session_id]})
        self._store(lambda: self.store.save_loop(owner, run_id, run))
        practice = Practice(
            owner=owner, session_id=session_id, rubric_ref=question.rubric_ref, state=state,
            loop_run_id=run_id, loop=run, earlier=earlier,
        )
        yield from self._reply(practice, session)

    def _end_loop(self, practice: Practice) -> Iterator[Step]:
        run = practice.loop
        assert run is not None and practice.loop_run_id is not None
        if run.ended and run.scorecard is not None:
            yield Step(practice)
            return
        if practice.state.phase != "scored":
            practice = self._close(practice)
        held = self._held(practice)
        card = loop_scorecard(run, held, self.graders.offline.name)
        practice = self._save_run(practice, run.model_copy(update={"ended": True, "scorecard": card}))
        yield Step(practice)
        if self.graders.refiner is not None:
            yield from self._refine_loop(practice, held)

    def _refine_loop(self, practice: Practice, held: list[tuple[InterviewState, Scorecard | None]]) -> Iterator[Step]:
        refiner, run = self.graders.refiner, practice.loop
        assert refiner is not None and run is not None
        refined = []
        for (state, card), session_id, question in zip(held, run.session_ids, run.questions):
            if card is not None and answers_in(state).strip():
                rubric = self.snapshots.by_ref(question.rubric_ref, question.question_id)
                card = refiner.refine(rubric, graded_answers(state).text, card)
                self._store(lambda: self.store.save(practice.owner, session_id, state, scorecard=card))
            refined.append((state, card))
        card = loop_scorecard(run, refined, refiner.name)
        yield Step(self._save_run(practice, run.model_copy(update={"scorecard": card})))

    def _held(self, practice: Practice) -> list[tuple[InterviewState, Scorecard | None]]:
        """State and scorecard of each question opened so far: the earlier ones from the store."""
        run = practice.loop
        assert run is not None
        held = []
        for session_id in run.session_ids[:-1]:
            stored = self._store(lambda: self.store.load(practice.owner, session_id))
            held.append((stored.state, stored.scorecard))
        return [*held, (practice.state, practice.scorecard)]

    def _loop_voice(self, run: LoopRun, index: int) -> Voice:
        return BetweenQuestionsVoice(self.voice, more_to_come=index + 1 < len(run.questions))

    # Loading, saving, building sessions

    def _session(self, practice: Practice) -> InterviewSession:
        voice = self._loop_voice(practice.loop, practice.loop.index) if practice.loop else self.voice
        return InterviewSession(self.snapshots.rubric(practice), voice, self.clock, practice.state, listener=self.listener)

    def _load(self, owner: str, session_id: str) -> Practice:
        stored = self._store(lambda: self.store.load(owner, session_id))
        if stored.loop_run:  # a loop's question resumes with its loop
            return self._load_loop(owner, stored.loop_run)
        return Practice(
            owner=owner, session_id=stored.id, rubric_ref=stored.rubric_ref, state=stored.state,
            scorecard=stored.scorecard, delivery=stored.delivery,
        )

    def _load_loop(self, owner: str, run_id: str) -> Practice:
        run = self._store(lambda: self.store.load_loop(owner, run_id))
        if not run.session_ids:
            raise PracticeError(NOT_YOURS)
        stored = [self._store(lambda: self.store.load(owner, session_id)) for session_id in run.session_ids]
        current = stored[-1]
        return Practice(
            owner=owner, session_id=current.id, rubric_ref=current.rubric_ref, state=current.state,
            scorecard=current.scorecard, delivery=current.delivery, loop_run_id=run_id, loop=run,
            earlier=[s.state for s in stored[:-1]],
        )

    def _save(self, practice: Practice) -> Practice:
        self._store(lambda: self.store.save(
            practice.owner, practice.session_id, practice.state, scorecard=practice.scorecard, delivery=practice.delivery
        ))
        return practice

    def _save_run(self, practice: Practice, run: LoopRun) -> Practice:
        assert practice.loop_run_id is not None
        self._store(lambda: self.store.save_loop(practice.owner, practice.loop_run_id, run))
        return practice.model_copy(update={"loop": run})

    def _store(self, call: Callable[[], T]) -> T:
        """Run a store call; a failure the candidate cannot fix becomes a PracticeError, logged in full."""
        try:
            return call()
        except SessionNotFound:
            # The same words whether the id is unknown or someone else's: no oracle for ids.
            raise PracticeError(NOT_YOURS) from None
        except StoreError as error:
            log.error("session store failed: %s", error)
            raise PracticeError("Your interview could not be saved just now, so this step was not taken; try again.") from error

    def _keep(self, rubric: Rubric) -> str:
        return self._store(lambda: self.store.keep_rubric(rubric))

    def _question(self, question_id: str) -> Rubric:
        try:
            return self.bank.get(question_id)
        except KeyError:
            raise PracticeError(f"There is no question '{question_id}' (any more): pick one from the list.") from None

    def _speech_backends(self) -> SpeechBackends:
        if self._speech is None:
            if self._speech_factory is None:
                raise PracticeError("Speech is not available here; type your answer instead.")
            self._speech = self._speech_factory()
        return self._speech


def graded_answers(state: InterviewState) -> Cut:
    """The candidate's answers as a grade reads them: at most MAX_GRADED_CHARS, saying when cut."""
    return cut(answers_in(state), MAX_GRADED_CHARS, "The graded text of your answers")


def _with_answer(so_far: DeliveryMetrics | None, answer: DeliveryMetrics | None) -> DeliveryMetrics | None:
    """This question's delivery figures after one more answer (typed answers add nothing)."""
    if answer is None or so_far is None:
        return answer or so_far
    return combine_delivery([so_far, answer])
